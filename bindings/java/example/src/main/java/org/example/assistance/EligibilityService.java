package org.example.assistance;

import cn.libsa.Decision;
import cn.libsa.Engine;
import java.time.LocalDate;

/**
 * The way a Spring application holds libsa: one service object for the whole application
 * (a @Service singleton), one Engine inside it, shared by every request thread. Plain Java
 * here; in Spring the constructor would be the bean's, close() its @PreDestroy, and reload()
 * an admin endpoint or a file watcher. Nothing here synchronises: the Engine is thread-safe
 * (a pool of native engines, poolSize of them evaluating at once).
 */
public final class EligibilityService implements AutoCloseable {
    private final Engine engine;

    public EligibilityService(String packPath, String pack, int poolSize) {
        engine = new Engine(Engine.options().packPath(packPath).pack(pack).poolSize(poolSize));
    }

    /** A request: the household as JSON (docs/household.md), the date of the decision. */
    public Decision decide(String householdJson, LocalDate asOf) {
        return engine.evaluate(householdJson, asOf);
    }

    /** Publish the pack as it is on disk now; requests in flight finish on the old version. */
    public String reload() {
        return engine.reload();
    }

    public String packHash() {
        return engine.packHash();
    }

    @Override
    public void close() {
        engine.close();
    }
}
