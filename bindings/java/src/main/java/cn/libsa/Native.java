package cn.libsa;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The JNI bridge (libsa_jni.so, which needs libsa.so by its soname). Found, in this order:
 * the system property {@code libsa.jni} (a path); {@code System.loadLibrary("sa_jni")} on
 * {@code java.library.path} (Debian's JVM searches /usr/lib/jni and the multiarch jni folder);
 * the folder {@code cmake --install} put it in, recorded in the jar at build time.
 */
final class Native {
    private static boolean loaded;

    static synchronized void load() {
        if (loaded) return;
        String path = System.getProperty("libsa.jni");
        if (path != null) {
            System.load(path);
        } else {
            try {
                System.loadLibrary("sa_jni");
            } catch (UnsatisfiedLinkError e) {
                String installed = installedPath();
                if (installed == null || !Files.exists(Path.of(installed))) throw e;
                System.load(installed);
            }
        }
        loaded = true;
    }

    private static String installedPath() {
        try (InputStream in = Native.class.getResourceAsStream("native.properties")) {
            if (in == null) return null;
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("jni");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static native long setNew(String packPath, long memory, long instructions, long output, int timeMs);
    static native int setPublish(long set, String pack, boolean skipTests);
    static native String setHash(long set);
    static native long setGeneration(long set);
    static native void setFree(long set);

    static native long engineNew(long set, String packPath, long memory, long instructions, long output, int timeMs);
    static native void engineFree(long engine);
    static native String enginePackHash(long engine);
    static native String evaluate(long engine, long household, String asOf, int jsonFlags);
    static native String evaluateText(long engine, String text, String name, String asOf, int jsonFlags);

    static native long[] householdParse(String text, String name);
    static native long householdNew(String id, String region, String area);
    static native void householdAddMember(long h, String id, String relation, String birth);
    static native void householdSet(long h, String path, String value);
    static native String householdId(long h);
    static native void householdFree(long h);

    static native String explain(long engine, long household, String asOf, int format, int lang);
    static native String whatif(long engine, long household, String asOf, String[] changes);
    static native long decide(long engine, long household, String asOf);
    static native String decisionJson(long decision, int flags);
    static native void decisionFree(long decision);
    static native long logOpen(String path, String hmacKeyFile, int fsync, int fsyncN, long rotateBytes);
    static native long logAppend(long log, long household, long decision);
    static native void logClose(long log);
    static native String logVerify(String[] paths, String hmacKeyFile, long[] counts);

    static native String version();

    private Native() {}
}
