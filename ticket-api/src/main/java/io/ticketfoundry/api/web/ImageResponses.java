package io.ticketfoundry.api.web;

import io.ticketfoundry.api.plot.ImageFormat;
import io.ticketfoundry.api.plot.ImageSize;
import io.ticketfoundry.common.Digests;
import java.time.Duration;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The size parameters of image endpoints and the responses that carry a rendered image. */
public final class ImageResponses {

    /**
     * How long a client may reuse an image without asking: short, because new tickets and metrics
     * change it; private, because it shows a team's data. After that the ETag makes a re-request a 304.
     */
    public static final Duration MAX_AGE = Duration.ofSeconds(60);

    private ImageResponses() {
    }

    /** The {@code width} and {@code height} asked for, else the defaults; a problem per side out of bounds. */
    public static ImageSize readSize(Integer width, Integer height, int defaultWidth, int defaultHeight,
            List<FieldProblem> problems) {
        int w = width != null ? width : ImageSize.clamp(defaultWidth);
        int h = height != null ? height : ImageSize.clamp(defaultHeight);
        boolean ok = true;
        if (!ImageSize.fits(w)) {
            problems.add(new FieldProblem("width", "must be between " + ImageSize.MIN + " and " + ImageSize.MAX));
            ok = false;
        }
        if (!ImageSize.fits(h)) {
            problems.add(new FieldProblem("height", "must be between " + ImageSize.MIN + " and " + ImageSize.MAX));
            ok = false;
        }
        return ok ? new ImageSize(w, h) : null;
    }

    /** 200 with the image, shown inline as {@code name.<ext>}, private and briefly cacheable, its SHA-256 as ETag. */
    public static ResponseEntity<byte[]> image(ImageFormat format, byte[] bytes, String name) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(format.mediaType()))
                .cacheControl(CacheControl.maxAge(MAX_AGE).cachePrivate())
                .eTag(Digests.sha256Hex(bytes))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.inline().filename(name + "." + format.extension()).build().toString())
                .body(bytes);
    }
}
