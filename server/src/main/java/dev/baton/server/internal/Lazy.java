package dev.baton.server.internal;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value made on first use, once, by whichever thread asks first. For clients that are costly to
 * make (an HTTP client loads the trust store and starts a selector thread, a Docker client builds
 * its JSON mapper) and that a server may never use: they stay off the start-up path.
 */
public final class Lazy<T> {

    private final Supplier<T> factory;
    private volatile T value;

    public Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    public T get() {
        T made = value;
        if (made == null) {
            synchronized (this) {
                made = value;
                if (made == null) {
                    made = factory.get();
                    value = made;
                }
            }
        }
        return made;
    }

    /** Runs {@code action} on the value if it was made (closing it, say); never makes it. */
    public void ifMade(Consumer<T> action) {
        T made = value;
        if (made != null) {
            action.accept(made);
        }
    }
}
