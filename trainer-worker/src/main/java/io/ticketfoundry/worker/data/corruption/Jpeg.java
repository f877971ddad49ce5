package io.ticketfoundry.worker.data.corruption;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * JPEG compression and decompression with the JDK's baseline codec ({@code javax.imageio}): the
 * image as bytes ({@code TYPE_3BYTE_BGR}, i.e. YCbCr 4:2:0 in the file, or {@code TYPE_BYTE_GRAY}),
 * written at compression quality q / 100 (the JDK scales the IJG tables as libjpeg does for
 * quality q, which is what Pillow's {@code quality=q} means), read back. A pure-Java codec: the same
 * bytes on every machine. One writer and reader per thread.
 */
final class Jpeg {

    private static final ThreadLocal<ImageWriter> WRITER =
            ThreadLocal.withInitial(() -> ImageIO.getImageWritersByFormatName("jpeg").next());
    private static final ThreadLocal<ImageReader> READER =
            ThreadLocal.withInitial(() -> ImageIO.getImageReadersByFormatName("jpeg").next());

    private Jpeg() {
    }

    static Image roundTrip(Image image, int quality) {
        int h = image.height;
        int w = image.width;
        BufferedImage buffered = new BufferedImage(w, h,
                image.channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = buffered.getRaster();
        int[] samples = new int[h * w];
        for (int c = 0; c < image.channels; c++) {
            float[] p = image.planes[c];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = Image.toByte(p[i]);
            }
            raster.setSamples(0, 0, w, h, c, samples);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            ImageWriter writer = WRITER.get();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(buffered, null, null), param);
            } finally {
                writer.reset();
            }
            ImageReader reader = READER.get();
            BufferedImage decoded;
            try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                reader.setInput(in, true, true);
                decoded = reader.read(0);
            } finally {
                reader.reset();
            }
            Raster back = decoded.getRaster();
            if (back.getNumBands() != image.channels || back.getWidth() != w || back.getHeight() != h) {
                throw new IllegalStateException("JPEG round trip changed the image's shape");
            }
            Image out = new Image(image.channels, h, w);
            for (int c = 0; c < image.channels; c++) {
                back.getSamples(0, 0, w, h, c, samples);
                for (int i = 0; i < samples.length; i++) {
                    out.planes[c][i] = samples[i] / 255f;
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
