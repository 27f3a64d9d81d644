package cn.libsa;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * One Engine shared by many threads (the singleton of a Spring service). Households come from
 * bench/sa-gen (system property sa.gen), 10,000 of them, seeded so every run is the same, in
 * the test region of pack cn-test (a pack decides only households of its own region).
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
            "--pack", "cn-test", "--pack-path", PACKS, "--date", DATE)
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

    private static List<String> serial(String packPath, String pack, int n) {
        List<String> out = new ArrayList<>();
        try (Engine one = new Engine(Engine.options().packPath(packPath).pack(pack).poolSize(1))) {
            for (int i = 0; i < n; i++) out.add(one.evaluateJson(households.get(i), DATE));
        }
        return out;
    }

    @Test
    void sixteenThreadsEqualOneThread() throws Exception {
        List<String> expected = serial(PACKS, "cn-test", N);
        String[] got = new String[N];
        AtomicInteger next = new AtomicInteger();
        // Pool of 4 native engines shared by 16 threads: callers wait for a free one.
        try (Engine eng = new Engine(Engine.options().packPath(PACKS).pack("cn-test").poolSize(4))) {
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

    /** A copy of the shipped packs with cn-test's params.yaml as given. */
    private static Path packsWith(Path dir, String params) throws Exception {
        for (String p : new String[] {"cn", "cn-test"}) {
            Path from = Path.of(PACKS, p);
            try (var walk = Files.walk(from)) {
                for (Path f : (Iterable<Path>) walk::iterator) {
                    Path to = dir.resolve(p).resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) Files.createDirectories(to); else Files.copy(f, to);
                }
            }
        }
        Files.writeString(dir.resolve("cn-test/params.yaml"), params);
        return dir;
    }

    @Test
    void reloadUnderLoad(@TempDir Path tmp) throws Exception {
        // Two versions of cn-test that decide differently: v2 raises the urban and rural 低保
        // standards by 100. While one Engine is reloaded 40 times, switching the pack on disk
        // between them, every decision must equal, byte for byte, the single-threaded decision
        // of the version whose hash it names: nothing fails and nothing mixes the two.
        String v1 = Files.readString(Path.of(PACKS, "cn-test", "params.yaml"));
        String v2 = v1.replace("      - from: 2023-01-01\n        value: \"700\"", "      - from: 2023-01-01\n        value: \"800\"")
                      .replace("      - from: 2022-01-01\n        value: \"500\"", "      - from: 2022-01-01\n        value: \"600\"");
        assertNotEquals(v1, v2);
        int n = 300;
        Path d1 = packsWith(Files.createDirectory(tmp.resolve("v1")), v1);
        Path d2 = packsWith(Files.createDirectory(tmp.resolve("v2")), v2);
        Path live = packsWith(Files.createDirectory(tmp.resolve("live")), v1);
        List<String> e1 = serial(d1.toString(), "cn-test", n), e2 = serial(d2.toString(), "cn-test", n);
        Map<String, List<String>> expected = Map.of(Decision.fromJson(e1.get(0)).packHash(), e1,
                                                    Decision.fromJson(e2.get(0)).packHash(), e2);
        assertEquals(2, expected.size(), "the two versions have different hashes");
        int differ = 0;
        for (int i = 0; i < n; i++)
            if (!Decision.fromJson(e1.get(i)).programs().equals(Decision.fromJson(e2.get(i)).programs())) differ++;
        assertTrue(differ > 10, "the two versions must decide differently: " + differ);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong evaluations = new AtomicLong(), failures = new AtomicLong(), mixed = new AtomicLong();
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        try (Engine eng = new Engine(Engine.options().packPath(live.toString()).pack("cn-test").poolSize(4))) {
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
                            String hash = Decision.fromJson(j).packHash();
                            seen.put(hash, true);
                            List<String> exp = expected.get(hash);
                            if (exp == null || !exp.get(i).equals(j)) mixed.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                        }
                        evaluations.incrementAndGet();
                    }
                    return null;
                }));
            }
            Path params = live.resolve("cn-test/params.yaml"), next = live.resolve("cn-test/params.yaml.next");
            for (int r = 0; r < 40; r++) {
                long before = evaluations.get();
                Files.writeString(next, r % 2 == 0 ? v2 : v1);
                Files.move(next, params, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                eng.reload();
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
