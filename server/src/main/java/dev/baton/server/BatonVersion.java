package dev.baton.server;

/** Baton's version, from the jar manifest when packaged. */
public final class BatonVersion {

    public static final String VERSION = version();

    private BatonVersion() {}

    private static String version() {
        String v = BatonVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
