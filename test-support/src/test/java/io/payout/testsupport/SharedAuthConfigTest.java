package io.payout.testsupport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service verifies tokens and bounds requests with the platform's shared settings (platform
 * microprofile-config.properties "auth" and "HTTP" sections): none depends on anything but platform for it, and none
 * overrides the verification or transport settings, so a fix there reaches all four. A service only sets its own
 * declared-body limit (to its body-size-max-bytes).
 */
class SharedAuthConfigTest {
    private static final Path ROOT = RepoRoot.find();

    @ParameterizedTest(name = "{0} uses the shared token verification and request limits")
    @ValueSource(strings = {"transfer-service", "ledger-service", "bank-adapter-service", "webhook-service"})
    void serviceUsesTheSharedSettings(String service) throws IOException {
        assertThat(Files.readString(ROOT.resolve(service).resolve("pom.xml")))
                .contains("<artifactId>platform</artifactId>");
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            props.load(r);
        }
        assertThat(props.stringPropertyNames()).noneMatch(name -> {
            String key = name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name;
            return key.startsWith("mp.jwt.verify.") || key.startsWith("smallrye.jwt.jwks.")
                    || key.equals("smallrye.jwt.time-to-live") || key.startsWith("quarkus.http.limits.")
                    || key.equals("quarkus.http.auth.proactive") || key.equals("payout.http.headers-size-max-bytes")
                    || key.equals("payout.http.uri-length-max-bytes");
        });
    }
}
