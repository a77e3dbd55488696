package io.payout.testsupport;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listens on the real broker like a consumer would: a private queue bound to the exchange with a routing key,
 * recording every message with its AMQP properties, so tests can count what was really published.
 */
public final class BrokerProbe implements AutoCloseable {
    public static final String EXCHANGE = "payout";

    private final Connection connection;
    private final Channel channel;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public record Received(String messageId, String type, Integer deliveryMode, String contentType,
                           Map<String, Object> headers, String body) {
        public String header(String name) {
            Object v = headers == null ? null : headers.get(name);
            return v == null ? null : v.toString();
        }
    }

    private BrokerProbe(String vhost, String routingKey, String existingQueue) throws Exception {
        connection = factory(vhost).newConnection("test-probe");
        channel = connection.createChannel();
        String queue = existingQueue;
        if (queue == null) {
            channel.exchangeDeclare(EXCHANGE, "topic", true);
            queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, EXCHANGE, routingKey);
        }
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body) {
                received.add(new Received(p.getMessageId(), p.getType(), p.getDeliveryMode(), p.getContentType(),
                        p.getHeaders(), new String(body, StandardCharsets.UTF_8)));
            }
        });
    }

    /** A private queue bound to the exchange: sees what is published from now on with that routing key. */
    public static BrokerProbe bind(String vhost, String routingKey) {
        try {
            return new BrokerProbe(vhost, routingKey, null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on RabbitMQ vhost " + vhost, e);
        }
    }

    /** Drains an existing queue (e.g. a dead-letter queue). */
    public static BrokerProbe drain(String vhost, String queue) {
        try {
            return new BrokerProbe(vhost, null, queue);
        } catch (Exception e) {
            throw new IllegalStateException("cannot drain " + queue + " on " + vhost, e);
        }
    }

    /**
     * Publishes an envelope exactly as a service's outbox relay would (persistent, message id, type, JSON);
     * returns the message id. Publishing the same id twice is how tests redeliver.
     */
    public static void publish(String vhost, String type, String messageId, String envelopeJson) {
        try (Connection c = factory(vhost).newConnection("test-publisher"); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(EXCHANGE, "topic", true);
            ch.confirmSelect();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .messageId(messageId).type(type).contentType("application/json").deliveryMode(2).build();
            ch.basicPublish(EXCHANGE, type, props, envelopeJson.getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + type + " on " + vhost, e);
        }
    }

    /**
     * Publishes any message to any exchange, with publisher confirms: e.g. a dead letter to {@code payout.dlx} with the
     * headers a consumer gives it, to see what the service does with it. {@code messageId}, {@code type} and
     * {@code headers} may be null.
     */
    public static void publish(String vhost, String exchange, String routingKey, String messageId, String type,
                               Map<String, Object> headers, String body) {
        try (Connection c = factory(vhost).newConnection("test-publisher"); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .messageId(messageId).type(type).contentType("application/json").deliveryMode(2)
                    .headers(headers).build();
            ch.basicPublish(exchange, routingKey, props, body.getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + exchange + " on " + vhost, e);
        }
    }

    /** The envelope every service publishes: {@code message_id}, {@code type}, {@code occurred_at}, payload. */
    public static String envelope(String messageId, String type, String aggregateId, String payloadJson) {
        return "{\"message_id\":\"" + messageId + "\",\"type\":\"" + type + "\",\"occurred_at\":\""
                + java.time.Instant.now() + "\",\"aggregate_id\":\"" + aggregateId + "\",\"payload\":" + payloadJson + "}";
    }

    private static ConnectionFactory factory(String vhost) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(TestInfra.MQ_HOST);
        f.setPort(TestInfra.MQ_PORT);
        f.setUsername(TestInfra.MQ_USER);
        f.setPassword(TestInfra.MQ_PASSWORD);
        f.setVirtualHost(vhost);
        return f;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
