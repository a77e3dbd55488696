package io.payout.system;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local stack for every suite in this JVM: started on first use, stopped (down.sh, databases and vhost
 * dropped) when JUnit closes its root context after the last suite.
 */
public class SharedStack implements BeforeAllCallback {
    private static LocalStack stack;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        get(context);
    }

    static synchronized LocalStack get(ExtensionContext context) throws Exception {
        if (stack == null) {
            stack = LocalStack.start();
            LocalStack started = stack;
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put(SharedStack.class, (AutoCloseable) started::stop);
        }
        return stack;
    }

    public static LocalStack stack() {
        if (stack == null) {
            throw new IllegalStateException("annotate the suite with @ExtendWith(SharedStack.class)");
        }
        return stack;
    }
}
