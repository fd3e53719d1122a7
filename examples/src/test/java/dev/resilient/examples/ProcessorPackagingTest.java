package dev.resilient.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The processor jar this module was compiled with is what users get: JavaPoet relocated inside,
 * registered for javac and for Gradle's incremental processing, and a published pom that pulls
 * in nothing; the jars users put on a module path name their modules.
 */
class ProcessorPackagingTest {
    private static final Path PROCESSOR = Path.of("../processor/target");

    @Test
    void jarCarriesRelocatedJavaPoetAndItsRegistrations() throws IOException {
        try (JarFile jar = new JarFile(PROCESSOR.resolve("resilient-processor-0.1.0-SNAPSHOT.jar").toFile())) {
            assertNotNull(jar.getEntry("dev/resilient/processor/shaded/javapoet/JavaFile.class"));
            assertTrue(jar.stream().noneMatch(entry -> entry.getName().startsWith("com/palantir/")), "JavaPoet is relocated");
            assertNotNull(jar.getEntry("dev/resilient/processor/shaded/DurationFormat.class"), "durations read like the runtime's");
            assertTrue(jar.stream().noneMatch(entry -> entry.getName().startsWith("dev/resilient/runtime/")), "no runtime class unrelocated");
            String services = new String(jar.getInputStream(jar.getEntry("META-INF/services/javax.annotation.processing.Processor")).readAllBytes());
            assertTrue(services.contains("dev.resilient.processor.ResilientProcessor"));
            String gradle = new String(jar.getInputStream(jar.getEntry("META-INF/gradle/incremental.annotation.processors")).readAllBytes());
            assertTrue(gradle.contains("dev.resilient.processor.ResilientProcessor,isolating"));
        }
    }

    @Test
    void jarsUsersPutOnTheModulePathNameTheirModules() throws IOException {
        for (String module : new String[] {"annotations", "runtime"}) {
            Path file = Path.of("../" + module + "/target/resilient-" + module + "-0.1.0-SNAPSHOT.jar");
            try (JarFile jar = new JarFile(file.toFile())) {
                assertEquals("dev.resilient." + module, jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"), file.toString());
            }
        }
    }

    @Test
    void publishedPomDeclaresNoTransitiveDependency() throws IOException {
        String pom = Files.readString(PROCESSOR.resolve("dependency-reduced-pom.xml"));
        Matcher scopes = Pattern.compile("<dependency>.*?</dependency>", Pattern.DOTALL).matcher(pom);
        while (scopes.find()) {
            String dependency = scopes.group();
            assertTrue(dependency.contains("<scope>test</scope>") || dependency.contains("<scope>provided</scope>"),
                    "a transitive dependency in the published pom: " + dependency);
        }
        String dependencies = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
        assertFalse(dependencies.contains("javapoet"), "JavaPoet is inside the jar, not a dependency");
    }
}
