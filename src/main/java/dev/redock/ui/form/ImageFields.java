package dev.redock.ui.form;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import dev.redock.model.ImageRef;
import dev.redock.model.InvalidReferenceException;
import dev.redock.model.ValidationException;
import dev.redock.service.ServiceInput;

/**
 * The image a service follows, as typed in two fields: the image (registry and repository) and the tag. Each is checked
 * as it is typed, with Docker's own grammar.
 */
public final class ImageFields {

    private final StringProperty image = new SimpleStringProperty(this, "image", "");
    private final StringProperty tag = new SimpleStringProperty(this, "tag", ImageRef.DEFAULT_TAG);
    private final StringBinding imageError;
    private final StringBinding tagError;
    private final ObjectBinding<ImageRef> ref;

    public ImageFields() {
        imageError = Bindings.createStringBinding(() -> imageProblem(image.get(), tag.get()), image, tag);
        tagError = Bindings.createStringBinding(() -> tagProblem(tag.get()), tag);
        ref = Bindings.createObjectBinding(() -> {
            if (imageError.get() != null || tagError.get() != null) {
                return null;
            }
            try {
                return ImageRef.parse(image.get() + ":" + tag.get());
            } catch (InvalidReferenceException e) {
                return null;
            }
        }, imageError, tagError, image, tag);
    }

    static String imageProblem(String text, String tag) {
        if (text == null || text.isBlank()) {
            return "Enter an image, e.g. nginx or localhost:5000/team/web";
        }
        try {
            ImageRef.parse(text);
        } catch (InvalidReferenceException e) {
            try {
                ServiceInput.image(tagProblem(tag) == null ? text + ":" + tag : text);
            } catch (ValidationException whole) {
                // Said of the whole reference, as the CLI and the API say it of the same reference.
                return capitalise(whole.getMessage());
            }
            return capitalise(e.getMessage());
        }
        int slash = text.lastIndexOf('/');
        if (text.contains("@") || text.lastIndexOf(':') > slash) {
            return "Put the tag in the Tag field: the image is the registry and repository only";
        }
        return null;
    }

    static String tagProblem(String text) {
        if (text == null || text.isBlank()) {
            return "Enter a tag, e.g. latest";
        }
        if (!text.equals(text.strip()) || text.chars().anyMatch(Character::isWhitespace)) {
            return "A tag has no spaces";
        }
        try {
            ImageRef.parse("redock/check:" + text);
            return null;
        } catch (InvalidReferenceException e) {
            return "Invalid tag \"" + text + "\": letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'";
        }
    }

    /** The sentence with its first letter in capitals (the core writes its messages to follow a colon). */
    public static String capitalise(String s) {
        return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Fills the fields from a reference. */
    public void set(ImageRef r) {
        image.set(r.familiar().substring(0, r.familiar().length() - (":" + r.tag()).length()
                - (r.digest() == null ? 0 : ("@" + r.digest()).length())));
        tag.set(r.tag());
    }

    public StringProperty imageProperty() {
        return image;
    }

    public StringProperty tagProperty() {
        return tag;
    }

    /** What is wrong with the image field, or null. */
    public StringBinding imageErrorProperty() {
        return imageError;
    }

    /** What is wrong with the tag field, or null. */
    public StringBinding tagErrorProperty() {
        return tagError;
    }

    /** The reference both fields make, or null while either is invalid. */
    public ObjectBinding<ImageRef> refProperty() {
        return ref;
    }

    public ImageRef ref() {
        return ref.get();
    }
}
