package io.ticketfoundry.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class QueueConcurrencyTest extends QueueTestBase {

    @Test
    void concurrentLesseesNeverGetTheSameJob() throws Exception {
        String pool = QueueFixtures.uniquePool();
        UUID experiment = fx.experiment(fx.team().id());
        List<UUID> queued = new ArrayList<>();
        for (int seed = 0; seed < 20; seed++) {
            queued.add(queue.enqueueImpLevel(experiment, seed, 0, null, pool));
        }
        int threads = 8;
        ConcurrentLinkedQueue<Lease> leases = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String token = fx.workerToken(pool);
                String workerId = "worker-" + t;
                workers.add(executor.submit(() -> {
                    start.await();
                    while (true) {
                        HttpResponse<String> response = fx.post(token, "/api/v1/worker/leases", new LeaseRequest(workerId));
                        if (response.statusCode() == 204) {
                            return null;
                        }
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                        leases.add(fx.read(response, Lease.class));
                    }
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            executor.shutdownNow();
        }
        List<UUID> leasedIds = leases.stream().map(Lease::jobId).toList();
        assertThat(leasedIds).hasSize(20).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(queued);
        assertThat(leases.stream().map(Lease::fencingToken).distinct().count()).isEqualTo(20);
        assertThat(leases).allSatisfy(lease -> {
            assertThat(lease.attempt()).isEqualTo(1);
            assertThat(lease.spec().pruning().levels()).isEqualTo(10);
        });
        long stillAttemptOne = jdbc.sql("SELECT count(*) FROM job WHERE pool = :pool AND status = 'leased' AND attempts = 1")
                .param("pool", pool).query(Long.class).single();
        assertThat(stillAttemptOne).isEqualTo(20);
    }
}
