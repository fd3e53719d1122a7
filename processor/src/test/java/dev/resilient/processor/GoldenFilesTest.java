package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated source of a few representative interfaces, compared with reviewed copies under
 * {@code src/test/golden}. After an intended change to the output, regenerate them with
 * {@code RESILIENT_GOLDEN_UPDATE=1 mvn -pl processor test} and review the diff. Behaviour is tested
 * elsewhere by running the generated code; these catch unintended changes to how it reads, and
 * keep its lines under 120 columns.
 */
class GoldenFilesTest {
    private static final Path GOLDEN = Path.of("src/test/golden");

    @ParameterizedTest
    @ValueSource(strings = {"WeatherClient", "Repository", "Outer"})
    void generatedSourceMatchesTheReviewedCopy(String name) throws IOException {
        String input = Files.readString(GOLDEN.resolve(name + ".java.in"), StandardCharsets.UTF_8);
        Compiled compiled = Compiled.strictly("golden." + name, input.split("\n", -1));
        for (var file : compiled.compilation.generatedSourceFiles()) {
            String generatedName = Path.of(file.toUri().getPath()).getFileName().toString();
            String actual = file.getCharContent(true).toString();
            Path golden = GOLDEN.resolve(generatedName + ".golden");
            if (System.getenv("RESILIENT_GOLDEN_UPDATE") != null) {
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "golden file " + golden);
            actual.lines().filter(line -> line.length() >= 120).findFirst().ifPresent(line -> {
                throw new AssertionError(generatedName + " has a line of " + line.length() + " columns, 120 at most:\n" + line);
            });
        }
    }
}
