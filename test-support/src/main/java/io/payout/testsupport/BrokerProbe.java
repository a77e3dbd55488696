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

    private BrokerProbe(String vhost, String routingKey) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(TestInfra.MQ_HOST);
        f.setPort(TestInfra.MQ_PORT);
        f.setUsername(TestInfra.MQ_USER);
        f.setPassword(TestInfra.MQ_PASSWORD);
        f.setVirtualHost(vhost);
        connection = f.newConnection("test-probe");
        channel = connection.createChannel();
        channel.exchangeDeclare(EXCHANGE, "topic", true);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, EXCHANGE, routingKey);
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body) {
                received.add(new Received(p.getMessageId(), p.getType(), p.getDeliveryMode(), p.getContentType(),
                        p.getHeaders(), new String(body, StandardCharsets.UTF_8)));
            }
        });
    }

    public static BrokerProbe bind(String vhost, String routingKey) {
        try {
            return new BrokerProbe(vhost, routingKey);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on RabbitMQ vhost " + vhost, e);
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
