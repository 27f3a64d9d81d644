package cn.libsa;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One Engine shared by many threads (the singleton of a Spring service). Households come from
 * bench/sa-gen (system property sa.gen), 10,000 of them, seeded so every run is the same.
 */
class ConcurrencyTest {
    static final String PACKS = EngineTest.PACKS;
    static final String DATE = "2025-08-01";
    static final int N = 10_000;
    static List<Household> households;

    @BeforeAll
    static void generate() throws Exception {
        Path out = Files.createTempFile("sa-gen", ".jsonl");
        Process p = new ProcessBuilder(System.getProperty("sa.gen"), "--seed", "16", "--count", String.valueOf(N),
            "--pack", "cn-53", "--pack-path", PACKS, "--date", DATE)
            .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, p.waitFor());
        households = new ArrayList<>();
        int line = 0;
        for (String l : Files.readAllLines(out)) households.add(Household.parseOne(l, "line " + ++line));
        Files.delete(out);
        assertEquals(N, households.size());
    }

    @AfterAll
    static void free() {
        if (households != null) for (Household h : households) h.close();
    }

    private static List<String> serial(String pack, int n) {
        List<String> out = new ArrayList<>();
        try (Engine one = new Engine(Engine.options().packPath(PACKS).pack(pack).poolSize(1))) {
            for (int i = 0; i < n; i++) out.add(one.evaluateJson(households.get(i), DATE));
        }
        return out;
    }

    @Test
    void sixteenThreadsEqualOneThread() throws Exception {
        List<String> expected = serial("cn-53", N);
        String[] got = new String[N];
        AtomicInteger next = new AtomicInteger();
        // Pool of 4 native engines shared by 16 threads: callers wait for a free one.
        try (Engine eng = new Engine(Engine.options().packPath(PACKS).pack("cn-53").poolSize(4))) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> fs = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 16; t++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int i; (i = next.getAndIncrement()) < N; ) got[i] = eng.evaluateJson(households.get(i), DATE);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            assertTrue(eng.nativeEngines() <= 4, "pool bounded: " + eng.nativeEngines());
        }
        int diff = 0;
        for (int i = 0; i < N; i++) if (!expected.get(i).equals(got[i])) diff++;
        assertEquals(0, diff, "decisions differing from the single-threaded run");
        // The typed view agrees with the JSON (a sample of tiers).
        Map<String, Integer> tiers = new HashMap<>();
        for (String j : got) tiers.merge(Decision.fromJson(j).tier(), 1, Integer::sum);
        assertEquals(N, tiers.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(tiers.containsKey("tekun") && tiers.containsKey("dibao") && tiers.containsKey("none"), tiers.toString());
    }

    @Test
    void reloadUnderLoad() throws Exception {
        // Two versions that decide differently: cn-53 (Yunnan) and cn-test. Every decision made
        // while the pack flips must equal, byte for byte, the single-threaded decision of the
        // version it names: nothing fails and nothing mixes the two.
        int n = 300;
        Map<String, List<String>> expected = Map.of("cn-53", serial("cn-53", n), "cn-test", serial("cn-test", n));
        int differ = 0;
        for (int i = 0; i < n; i++)
            if (!Decision.fromJson(expected.get("cn-53").get(i)).programs()
                    .equals(Decision.fromJson(expected.get("cn-test").get(i)).programs())) differ++;
        assertTrue(differ > 10, "the two versions must decide differently: " + differ);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong evaluations = new AtomicLong(), failures = new AtomicLong(), mixed = new AtomicLong();
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        try (Engine eng = new Engine(Engine.options().packPath(PACKS).pack("cn-53").poolSize(4))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int seed = t;
                fs.add(pool.submit(() -> {
                    int i = seed;
                    while (!stop.get()) {
                        i = (i + 7) % n;
                        try {
                            String j = eng.evaluateJson(households.get(i), DATE);
                            Decision d = Decision.fromJson(j);
                            seen.put(d.pack(), true);
                            if (!expected.get(d.pack()).get(i).equals(j)) mixed.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                        evaluations.incrementAndGet();
                    }
                    return null;
                }));
            }
            String[] packs = {"cn-test", "cn-53"};
            for (int r = 0; r < 40; r++) {
                long before = evaluations.get();
                eng.reload(packs[r % 2]);
                while (evaluations.get() < before + 50) Thread.onSpinWait(); // let the load run on each version
            }
            stop.set(true);
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            assertEquals(41, eng.generation());
        }
        assertEquals(0, failures.get(), "failed evaluations");
        assertEquals(0, mixed.get(), "decisions not equal to their version's");
        assertEquals(2, seen.size(), "both versions decided: " + seen.keySet());
        assertTrue(evaluations.get() >= 40 * 50);
    }
}
