package dev.resilient.examples.injection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dagger.Component;
import dagger.Module;
import dev.resilient.examples.FlakyServer;
import dev.resilient.examples.Forecast;
import dev.resilient.examples.HttpWeatherService;
import dev.resilient.examples.ResilientWeatherService;
import dev.resilient.examples.WeatherService;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The generated client wired by Spring, Guice and Dagger. Each keeps the raw client and the
 * resilient one as separate bindings: both implement {@link WeatherService}, so the raw one is
 * bound under its own type (Spring) or a qualifier (Guice, Dagger), and the resilient one is what
 * the application asks for. Each test makes a call whose first request fails, to show the retry
 * of the injected client at work.
 */
class InjectionTest {
    private static final Forecast OSLO = new Forecast("Oslo", -3.5, "snow");

    private final FlakyServer server = new FlakyServer(0, 0, Duration.ZERO, 1);
    private final ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();

    InjectionTest() throws IOException {}

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- Spring: the raw client is a bean of its own class, the resilient one is @Primary.

    @Configuration(proxyBeanMethods = false)
    static class SpringConfig {
        @Bean
        HttpWeatherService rawWeatherService(FlakyServer server) {
            return new HttpWeatherService(server.uri(), Duration.ofSeconds(10));
        }

        @Bean
        @Primary
        WeatherService weatherService(HttpWeatherService raw, ResilienceContext context) {
            return new ResilientWeatherService(raw, context);
        }
    }

    @Test
    void spring() throws IOException {
        try (AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext()) {
            spring.registerBean(FlakyServer.class, () -> server);
            spring.registerBean(ResilienceContext.class, () -> context);
            spring.register(SpringConfig.class);
            spring.refresh();
            WeatherService weather = spring.getBean(WeatherService.class);

            assertTrue(weather instanceof ResilientWeatherService, weather.getClass().toString());
            assertSame(weather, spring.getBean(WeatherService.class), "one wrapper, built once");
            server.failNext(1);
            assertEquals(OSLO, weather.forecast("Oslo"));
            assertEquals(2, server.requests(), "the injected client retried");
        }
    }

    // ---- Guice: the raw client under @Named("raw"), the resilient one unqualified and singleton.

    static class GuiceModule extends AbstractModule {
        private final FlakyServer server;
        private final ResilienceContext context;

        GuiceModule(FlakyServer server, ResilienceContext context) {
            this.server = server;
            this.context = context;
        }

        @Override
        protected void configure() {
            bind(WeatherService.class).annotatedWith(Names.named("raw"))
                    .toInstance(new HttpWeatherService(server.uri(), Duration.ofSeconds(10)));
        }

        @Provides
        @jakarta.inject.Singleton
        WeatherService resilient(@Named("raw") WeatherService raw) {
            return new ResilientWeatherService(raw, context);
        }
    }

    @Test
    void guice() throws IOException {
        Injector injector = Guice.createInjector(new GuiceModule(server, context));
        WeatherService weather = injector.getInstance(WeatherService.class);

        assertTrue(weather instanceof ResilientWeatherService);
        assertSame(weather, injector.getInstance(WeatherService.class));
        server.failNext(1);
        assertEquals(OSLO, weather.forecast("Oslo"));
        assertEquals(2, server.requests());
    }

    // ---- Dagger: compile-time injection, @Provides with a qualifier for the raw client.

    @Module
    static final class DaggerWeatherModule {
        private final FlakyServer server;
        private final ResilienceContext context;

        DaggerWeatherModule(FlakyServer server, ResilienceContext context) {
            this.server = server;
            this.context = context;
        }

        @dagger.Provides
        @javax.inject.Named("raw")
        WeatherService raw() {
            return new HttpWeatherService(server.uri(), Duration.ofSeconds(10));
        }

        @dagger.Provides
        @javax.inject.Singleton
        WeatherService resilient(@javax.inject.Named("raw") WeatherService raw) {
            return new ResilientWeatherService(raw, context);
        }
    }

    @javax.inject.Singleton
    @Component(modules = DaggerWeatherModule.class)
    interface WeatherComponent {
        WeatherService weatherService();
    }

    @Test
    void dagger() throws IOException {
        WeatherComponent component = DaggerInjectionTest_WeatherComponent.builder()
                .daggerWeatherModule(new DaggerWeatherModule(server, context))
                .build();
        WeatherService weather = component.weatherService();

        assertTrue(weather instanceof ResilientWeatherService);
        assertSame(weather, component.weatherService());
        server.failNext(1);
        assertEquals(OSLO, weather.forecast("Oslo"));
        assertEquals(2, server.requests());
    }
}
