package dev.resilient.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the runtime logs, captured instead of printed while a test that provokes it runs: the
 * {@code System.Logger} "dev.resilient" goes to java.util.logging when nothing else is configured.
 */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.resilient");
    private final boolean parentHandlers = logger.getUseParentHandlers();
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    public CapturedLog() {
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    public List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** The messages logged, without their exceptions. */
    public List<String> messages() {
        return records().stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parentHandlers);
    }
}
