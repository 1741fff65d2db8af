package dev.redock.model;

import java.util.ArrayList;
import java.util.List;

/** A command typed on one line, split into words as a shell would: spaces separate, quotes group, a backslash escapes. */
public final class CommandWords {

    private CommandWords() {
    }

    /**
     * The words of {@code text}; none for null or blank.
     *
     * @throws ValidationException (field {@code command}) for an unclosed quote or a backslash at the end
     */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new ValidationException("command", "the command ends with a lone backslash");
                }
                word.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new ValidationException("command", "the command has an unclosed " + (quote == '"' ? "double" : "single") + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The words joined back into one line, quoted where needed, so that {@link #split} gives them back. */
    public static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (!w.isEmpty() && w.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\')) {
                sb.append(w);
            } else {
                sb.append('"').append(w.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.toString();
    }
}
