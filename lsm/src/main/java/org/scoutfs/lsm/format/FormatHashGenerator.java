package org.scoutfs.lsm.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step: writes the format hash of the compiled format classes into the class output
 * directory, where {@link FormatHash#build()} finds it. Run by Maven after compilation with the
 * class output directory as its argument.
 */
public final class FormatHashGenerator {
    private FormatHashGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: FormatHashGenerator CLASSES-DIR");
        }
        Path out = Path.of(args[0], FormatHash.class.getPackageName().replace('.', '/'), FormatHash.RESOURCE);
        Files.createDirectories(out.getParent());
        Files.writeString(out, FormatHash.toHex(FormatHash.compute()) + "\n", StandardCharsets.US_ASCII);
    }
}
