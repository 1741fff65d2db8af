package dev.redock.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.util.Callback;

/**
 * Loads the FXML views, one file per view under {@code /dev/redock/ui/}, with one controller factory that passes every
 * controller its dependencies through its constructor: the shared ones (the core, the task runner, the events, the view
 * models of the window) and the ones scoped to this view (a wizard's model, the models of a service's page). The
 * loader of each nested {@code fx:include} gets the same factory and the same objects, so a step of a wizard shares the
 * wizard's model and a section of a service's page shares the page's; the parent gets each nested controller in its
 * field named after the include's {@code fx:id} plus {@code Controller}.
 */
public final class Views {

    public static final String ROOT = "/dev/redock/ui/";

    private final Supplier<List<Object>> shared;

    /** @param shared the objects any controller may ask for, looked up by type; read at each load */
    public Views(Supplier<List<Object>> shared) {
        this.shared = shared;
    }

    /** A loaded view: its root node and its controller. */
    public record Loaded<C>(Parent root, C controller) {
    }

    /**
     * Loads {@code /dev/redock/ui/<path>} (e.g. {@code services/service_list.fxml}).
     *
     * @param scoped objects for this view only; they win over shared ones of the same type
     */
    public <C> Loaded<C> load(String path, Object... scoped) {
        FxThread.check();
        URL url = Views.class.getResource(ROOT + path);
        if (url == null) {
            throw new IllegalArgumentException("no view " + ROOT + path);
        }
        List<Object> available = new ArrayList<>(Arrays.asList(scoped));
        available.addAll(shared.get());
        FXMLLoader loader = new FXMLLoader(url);
        loader.setControllerFactory(new ControllerFactory(available));
        try {
            Parent root = loader.load();
            return new Loaded<>(root, loader.getController());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the view " + path + ": " + e.getMessage(), e);
        }
    }

    /** Makes controllers by their widest public constructor, each parameter filled by type from the available objects. */
    static final class ControllerFactory implements Callback<Class<?>, Object> {

        private final List<Object> available;

        ControllerFactory(List<Object> available) {
            this.available = available;
        }

        @Override
        public Object call(Class<?> type) {
            Constructor<?> constructor = Arrays.stream(type.getConstructors())
                    .max(Comparator.comparingInt(Constructor::getParameterCount))
                    .orElseThrow(() -> new IllegalStateException(type.getName() + " has no public constructor"));
            Object[] args = new Object[constructor.getParameterCount()];
            Class<?>[] params = constructor.getParameterTypes();
            for (int i = 0; i < params.length; i++) {
                args[i] = find(type, params[i]);
            }
            try {
                return constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("cannot make " + type.getName(), cause);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make " + type.getName(), e);
            }
        }

        private Object find(Class<?> controller, Class<?> wanted) {
            for (Object o : available) {
                if (wanted.isInstance(o)) {
                    return o;
                }
            }
            throw new IllegalStateException(controller.getSimpleName() + " needs a " + wanted.getSimpleName()
                    + ", which this view was not given");
        }
    }
}
