package cn.libsa;

/** Loads the JNI bridge: from -Dlibsa.jni=/path/libsa_jni.so, else System.loadLibrary("sa_jni"). */
final class Native {
    private static boolean loaded;

    static synchronized void load() {
        if (loaded) return;
        String path = System.getProperty("libsa.jni");
        if (path != null) System.load(path); else System.loadLibrary("sa_jni");
        loaded = true;
    }

    private Native() {}
}
