package org.example.assistance;

import cn.libsa.Decision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * App PACK_PATH PACK HOUSEHOLD_JSON DATE: 8 "request threads" ask the one service for the same
 * household's decision, then the service reloads; prints the dibao line of each answer.
 */
public final class App {
    public static void main(String[] args) throws Exception {
        String household = Files.readString(Path.of(args[2]));
        LocalDate date = LocalDate.parse(args[3]);
        try (EligibilityService service = new EligibilityService(args[0], args[1], 2)) {
            ExecutorService requests = Executors.newFixedThreadPool(8);
            List<Future<Decision>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) answers.add(requests.submit(() -> service.decide(household, date)));
            String first = null;
            int same = 0;
            for (Future<Decision> f : answers) {
                Decision d = f.get();
                String line = d.tier() + " dibao=" + d.program("dibao").map(p -> String.valueOf(p.amount())).orElse("-");
                if (first == null) first = line;
                if (first.equals(line)) same++;
            }
            requests.shutdown();
            String hash = service.reload();
            System.out.println("service: " + first + " (" + same + "/8 requests agree) hash=" + hash.substring(0, 12));
        }
    }
}
