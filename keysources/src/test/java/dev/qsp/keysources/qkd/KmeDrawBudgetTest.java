package dev.qsp.keysources.qkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-source budget of KME draws (SPEC.md §5.4), on an injected clock. */
class KmeDrawBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullSecondsWorthThenOneDrawPerIntervalAsItRefills() throws Exception {
        AtomicLong now = new AtomicLong(5 * SECOND);
        KmeDrawBudget b = new KmeDrawBudget(4, now::get);
        for (int i = 0; i < 4; i++) b.take();
        QkdException e = assertThrows(QkdException.class, b::take);
        assertEquals(QkdException.Reason.RATE_LIMITED, e.reason());
        assertEquals("QKD RATE_LIMITED: this side's budget of 4 KME draws per second (qsp.qkd.maxKeysPerSecond) is spent",
                e.getMessage());
        now.addAndGet(SECOND / 4 - 1);
        assertThrows(QkdException.class, b::take);
        now.addAndGet(1);
        b.take(); // a quarter second refilled one draw
        now.addAndGet(60 * SECOND); // a long pause refills at most one second's worth
        for (int i = 0; i < 4; i++) b.take();
        assertThrows(QkdException.class, b::take);
        assertEquals(9, b.drawn());
        assertEquals(3, b.refused());
    }

    @Test
    void theBudgetMustAllowOneDraw() {
        assertThrows(IllegalArgumentException.class, () -> new KmeDrawBudget(0));
    }

    @Test
    void rateLimitedTravelsAsCode15AndIsAnOutage() throws Exception {
        assertEquals(15, QkdException.Reason.RATE_LIMITED.wireCode());
        assertEquals(QkdException.Reason.RATE_LIMITED, QkdException.Reason.fromWireCode(15));
        assertEquals(true, new QkdException(QkdException.Reason.RATE_LIMITED, "x").unavailable());
    }
}
