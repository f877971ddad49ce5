package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.web.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * What every {@link ArtifactStore} guarantees, run against each store by a subclass: content
 * addressing, hash and size checks that keep nothing on failure, no partial object, concurrent
 * identical uploads, byte ranges and idempotent deletion.
 */
abstract class ArtifactStoreContract {

    protected ArtifactStore store;
    private final Random random = new Random();

    /** A new, empty store. */
    protected abstract ArtifactStore newStore() throws Exception;

    /** The storage keys of every object the store holds. */
    protected abstract List<String> storedKeys() throws Exception;

    /** The files left where uploads are staged. */
    protected abstract List<String> stagedFiles() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    protected byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    protected ArtifactStore.StoredObject put(byte[] bytes) {
        return store.put(new ByteArrayInputStream(bytes), QueueFixtures.sha256(bytes), 1 << 24);
    }

    protected byte[] read(String key, long offset, long length) throws IOException {
        try (InputStream in = store.read(key, offset, length).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    private void assertNothingKept() throws Exception {
        assertThat(storedKeys()).isEmpty();
        assertThat(stagedFiles()).isEmpty();
    }

    @Test
    void storesUnderTheHashKeepsOneCopyAndReadsItBack() throws Exception {
        byte[] bytes = bytes(5000);
        String sha = QueueFixtures.sha256(bytes);
        ArtifactStore.StoredObject stored = put(bytes);
        assertThat(stored).isEqualTo(new ArtifactStore.StoredObject(sha, 5000, sha.substring(0, 2) + "/" + sha.substring(2, 4) + "/" + sha));
        assertThat(stored.storageKey()).isEqualTo(ArtifactStore.keyOf(sha));
        assertThat(store.exists(stored.storageKey())).isTrue();
        assertThat(read(stored.storageKey(), 0, -1)).isEqualTo(bytes);
        assertThat(store.open(stored.storageKey()).exists()).isTrue();
        assertThat(store.open(stored.storageKey()).contentLength()).isEqualTo(5000);
        assertThat(store.open(stored.storageKey()).getContentAsByteArray()).isEqualTo(bytes);

        assertThat(put(bytes)).isEqualTo(stored);
        assertThat(storedKeys()).containsExactly(stored.storageKey());
        assertThat(stagedFiles()).isEmpty();
    }

    @Test
    void readsAnyRangeOfAnObjectAndNothingOfAMissingOne() throws Exception {
        byte[] bytes = bytes(10_000);
        String key = put(bytes).storageKey();
        assertThat(read(key, 0, 1)).containsExactly(bytes[0]);
        assertThat(read(key, 100, 100)).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));
        assertThat(read(key, 9_990, -1)).isEqualTo(Arrays.copyOfRange(bytes, 9_990, 10_000));
        assertThat(read(key, 9_999, 1)).containsExactly(bytes[9_999]);
        assertThat(read(key, 4_000, 0)).isEmpty();

        String missing = ArtifactStore.keyOf(QueueFixtures.sha256(bytes(10)));
        assertThat(store.read(missing, 0, -1)).isEmpty();
        assertThat(store.read(missing, 10, 5)).isEmpty();
        assertThat(store.exists(missing)).isFalse();
        assertThat(store.open(missing).exists()).isFalse();
    }

    @Test
    void storesAndReadsAnEmptyArtifact() throws Exception {
        ArtifactStore.StoredObject stored = put(new byte[0]);
        assertThat(stored.size()).isZero();
        assertThat(store.exists(stored.storageKey())).isTrue();
        assertThat(read(stored.storageKey(), 0, -1)).isEmpty();
        assertThat(read(stored.storageKey(), 0, 0)).isEmpty();
    }

    @Test
    void aChecksumMismatchKeepsNothing() throws Exception {
        byte[] bytes = bytes(3000);
        String claimed = QueueFixtures.sha256(bytes(10));
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes), claimed, 1 << 20))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.errors()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("sha256"));
                });
        assertNothingKept();
        assertThat(store.exists(ArtifactStore.keyOf(claimed))).isFalse();
        assertThat(store.exists(ArtifactStore.keyOf(QueueFixtures.sha256(bytes)))).isFalse();
    }

    @Test
    void aMalformedHashIsRejectedBeforeAnythingIsRead() throws Exception {
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(new byte[] {1}), "ABC", 1024))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.errors()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("sha256"));
                });
        assertNothingKept();
    }

    @Test
    void tooManyBytesKeepNothing() throws Exception {
        byte[] bytes = bytes(200_000);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes), QueueFixtures.sha256(bytes), 100_000))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
        assertNothingKept();
        byte[] exactly = bytes(100_000);
        assertThat(store.put(new ByteArrayInputStream(exactly), QueueFixtures.sha256(exactly), 100_000).size())
                .isEqualTo(100_000);
    }

    @Test
    void anUploadThatBreaksOffKeepsNothing() throws Exception {
        byte[] bytes = bytes(300_000);
        InputStream breaking = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(bytes);
            private int read;

            @Override
            public int read() throws IOException {
                if (++read > 200_000) {
                    throw new IOException("connection reset");
                }
                return in.read();
            }
        };
        assertThatThrownBy(() -> store.put(breaking, QueueFixtures.sha256(bytes), 1 << 20))
                .isInstanceOf(UncheckedIOException.class);
        assertNothingKept();
    }

    @Test
    void concurrentIdenticalUploadsKeepOneIntactObject() throws Exception {
        byte[] bytes = bytes(256 * 1024);
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ArtifactStore.StoredObject>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<ArtifactStore.StoredObject> upload = () -> {
                    start.await();
                    return put(bytes);
                };
                results.add(pool.submit(upload));
            }
            start.countDown();
            ArtifactStore.StoredObject first = results.get(0).get(60, TimeUnit.SECONDS);
            for (Future<ArtifactStore.StoredObject> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(first);
            }
            assertThat(storedKeys()).containsExactly(first.storageKey());
            assertThat(read(first.storageKey(), 0, -1)).isEqualTo(bytes);
            assertThat(stagedFiles()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deleteRemovesOneObjectAndIsIdempotent() throws Exception {
        byte[] kept = bytes(1000);
        byte[] removed = bytes(1000);
        String keptKey = put(kept).storageKey();
        String removedKey = put(removed).storageKey();

        store.delete(removedKey);
        assertThat(store.exists(removedKey)).isFalse();
        assertThat(store.read(removedKey, 0, -1)).isEmpty();
        assertThat(store.open(removedKey).exists()).isFalse();
        assertThat(storedKeys()).containsExactly(keptKey);
        assertThat(read(keptKey, 0, -1)).isEqualTo(kept);

        store.delete(removedKey);
        store.delete(ArtifactStore.keyOf(QueueFixtures.sha256(bytes(3))));
        assertThat(storedKeys()).containsExactly(keptKey);

        assertThat(put(removed).storageKey()).isEqualTo(removedKey);
        assertThat(read(removedKey, 0, -1)).isEqualTo(removed);
    }
}
