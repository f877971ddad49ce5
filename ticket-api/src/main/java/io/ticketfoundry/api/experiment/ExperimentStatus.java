package io.ticketfoundry.api.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's status, derived from its jobs: {@code running} while a job is leased or while
 * queued work follows finished work; {@code queued} while nothing has started; once nothing is
 * active, {@code failed} if any job failed, else {@code cancelled} if any was cancelled, else
 * {@code succeeded}.
 */
public final class ExperimentStatus {

    public static final List<String> JOB_STATUSES = List.of("queued", "leased", "succeeded", "failed", "cancelled");

    private ExperimentStatus() {
    }

    /** Counts for every job status, zero where there are none, in a fixed order. */
    public static Map<String, Long> counts(Map<String, Long> byStatus) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String status : JOB_STATUSES) {
            out.put(status, byStatus.getOrDefault(status, 0L));
        }
        return out;
    }

    public static String of(Map<String, Long> byStatus) {
        long queued = byStatus.getOrDefault("queued", 0L);
        long leased = byStatus.getOrDefault("leased", 0L);
        long succeeded = byStatus.getOrDefault("succeeded", 0L);
        long failed = byStatus.getOrDefault("failed", 0L);
        long cancelled = byStatus.getOrDefault("cancelled", 0L);
        if (leased > 0) {
            return "running";
        }
        if (queued > 0) {
            return succeeded + failed + cancelled > 0 ? "running" : "queued";
        }
        if (failed > 0) {
            return "failed";
        }
        if (cancelled > 0) {
            return "cancelled";
        }
        return succeeded > 0 ? "succeeded" : "queued";
    }
}
