package io.payout.platform.health;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the broker is reachable. The messaging connector's own check says nothing for a service that only
 * publishes (its outgoing channel connects on the first publish), so this keeps one small AMQP connection of its
 * own and reconnects when it is gone.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {
    private final ConnectionFactory factory = new ConnectionFactory();
    private Connection connection;

    public BrokerReadiness(@ConfigProperty(name = "rabbitmq-host") String host,
                           @ConfigProperty(name = "rabbitmq-port") int port,
                           @ConfigProperty(name = "rabbitmq-username") String user,
                           @ConfigProperty(name = "rabbitmq-password") String password,
                           @ConfigProperty(name = "rabbitmq-virtual-host") String vhost,
                           @ConfigProperty(name = "payout.health.broker-timeout-ms", defaultValue = "2000") int timeoutMs) {
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setVirtualHost(vhost);
        factory.setConnectionTimeout(timeoutMs);
        factory.setHandshakeTimeout(timeoutMs);
        factory.setAutomaticRecoveryEnabled(false);
    }

    @Override
    public synchronized HealthCheckResponse call() {
        var response = HealthCheckResponse.named("rabbitmq broker").withData("vhost", factory.getVirtualHost());
        try {
            if (connection == null || !connection.isOpen()) {
                connection = factory.newConnection("readiness-check");
            }
            return response.up().build();
        } catch (Exception e) {
            connection = null;
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
    }
}
