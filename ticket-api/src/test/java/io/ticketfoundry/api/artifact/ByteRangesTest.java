package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.artifact.ByteRanges.ByteRange;
import io.ticketfoundry.api.artifact.ByteRanges.Partial;
import io.ticketfoundry.api.artifact.ByteRanges.Unsatisfiable;
import io.ticketfoundry.api.artifact.ByteRanges.Whole;
import org.junit.jupiter.api.Test;

class ByteRangesTest {

    private static ByteRanges.Outcome of(String header) {
        return ByteRanges.evaluate(header, 1000);
    }

    private static Partial partial(long first, long last) {
        return new Partial(new ByteRange(first, last));
    }

    @Test
    void oneRangeInEachOfItsThreeForms() {
        assertThat(of("bytes=100-199")).isEqualTo(partial(100, 199));
        assertThat(of("bytes=0-0")).isEqualTo(partial(0, 0));
        assertThat(of("bytes=990-")).isEqualTo(partial(990, 999));
        assertThat(of("bytes=-10")).isEqualTo(partial(990, 999));
        assertThat(of("Bytes = 5 - 9 ")).isEqualTo(partial(5, 9));
    }

    @Test
    void rangesReachingPastTheEndAreCutToIt() {
        assertThat(of("bytes=900-5000")).isEqualTo(partial(900, 999));
        assertThat(of("bytes=-5000")).isEqualTo(partial(0, 999));
        assertThat(of("bytes=0-99999999999999999999999")).isEqualTo(partial(0, 999));
        assertThat(of("bytes=999-999")).isEqualTo(partial(999, 999));
    }

    @Test
    void rangesThatSelectNothingAreUnsatisfiable() {
        assertThat(of("bytes=1000-")).isInstanceOf(Unsatisfiable.class);
        assertThat(of("bytes=1000-1001")).isInstanceOf(Unsatisfiable.class);
        assertThat(of("bytes=99999999999999999999-")).isInstanceOf(Unsatisfiable.class);
        assertThat(of("bytes=-0")).isInstanceOf(Unsatisfiable.class);
        assertThat(ByteRanges.evaluate("bytes=0-", 0)).isInstanceOf(Unsatisfiable.class);
        assertThat(ByteRanges.evaluate("bytes=-5", 0)).isInstanceOf(Unsatisfiable.class);
    }

    @Test
    void whatIsNotOneWellFormedByteRangeIsIgnored() {
        assertThat(of(null)).isInstanceOf(Whole.class);
        assertThat(of("bytes=0-1,5-6")).as("several ranges").isInstanceOf(Whole.class);
        assertThat(of("bytes=9-5")).as("last before first").isInstanceOf(Whole.class);
        assertThat(of("items=0-5")).isInstanceOf(Whole.class);
        assertThat(of("bytes=")).isInstanceOf(Whole.class);
        assertThat(of("bytes=-")).isInstanceOf(Whole.class);
        assertThat(of("bytes=a-b")).isInstanceOf(Whole.class);
        assertThat(of("bytes=1-2-3")).isInstanceOf(Whole.class);
        assertThat(of("bytes=+1-2")).isInstanceOf(Whole.class);
        assertThat(of("0-5")).isInstanceOf(Whole.class);
    }

    @Test
    void aRangeKnowsItsLengthAndContentRange() {
        ByteRange range = new ByteRange(100, 199);
        assertThat(range.length()).isEqualTo(100);
        assertThat(range.contentRange(1000)).isEqualTo("bytes 100-199/1000");
    }

    @Test
    void ifNoneMatchComparesWeakly() {
        String etag = "\"abc\"";
        assertThat(ArtifactService.ifNoneMatchMatches("\"abc\"", etag)).isTrue();
        assertThat(ArtifactService.ifNoneMatchMatches("W/\"abc\"", etag)).isTrue();
        assertThat(ArtifactService.ifNoneMatchMatches("\"x\", \"abc\"", etag)).isTrue();
        assertThat(ArtifactService.ifNoneMatchMatches("*", etag)).isTrue();
        assertThat(ArtifactService.ifNoneMatchMatches("\"abcd\"", etag)).isFalse();
        assertThat(ArtifactService.ifNoneMatchMatches("abc", etag)).isFalse();
    }
}
