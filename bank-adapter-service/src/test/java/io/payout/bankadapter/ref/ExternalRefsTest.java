package io.payout.bankadapter.ref;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fixed vectors for {@code external_ref}. The expected refs were computed once, independently of this code
 * (Python: {@code "T991234560U" + base64.b32encode(sha256(text)).decode()[:9]}), and must never change: a changed
 * ref for an intent already sent would let the bank execute it a second time.
 */
class ExternalRefsTest {
    private static final ExternalRefs REFS = new ExternalRefs("T991234560");
    private static final LocalDate DAY = LocalDate.parse("2026-11-21");

    private static Intent intent(String clientId, String key, String account, String bankCode, long amount,
                                 String currency, LocalDate day) {
        return Intent.normalized(clientId, key, "acc-123", bankCode, account, amount, currency, day);
    }

    private static Intent base() {
        return intent("client-a", "key-0001", "12345678901234", "004", 15000, "KRW", DAY);
    }

    @Test
    void fixedVector() {
        assertThat(ExternalRefs.canonical(base()))
                .isEqualTo("v1|client-a|key-0001|acc-123|004|12345678901234|15000|KRW|2026-11-21");
        assertThat(REFS.of(base())).isEqualTo("T991234560U3BUCZYCDJ");
    }

    @Test
    void aRetryOfTheSameIntentGetsTheSameRef() {
        assertThat(new ExternalRefs("T991234560").of(base())).isEqualTo(REFS.of(base())).isEqualTo("T991234560U3BUCZYCDJ");
    }

    @Test
    void twoIdenticalLegitimateTransfersWithAnotherClientRequestIdGetDifferentRefs() {
        assertThat(REFS.of(intent("client-a", "key-0002", "12345678901234", "004", 15000, "KRW", DAY)))
                .isEqualTo("T991234560URH7MF2YLD");
    }

    @Test
    void everyPartOfTheIntentCounts() {
        assertThat(REFS.of(intent("client-a", "key-0001", "12345678901234", "004", 15000, "KRW", DAY.plusDays(1))))
                .isEqualTo("T991234560UGMJSJWH3W");
        assertThat(REFS.of(intent("client-b", "key-0001", "12345678901234", "004", 15000, "KRW", DAY)))
                .isEqualTo("T991234560UBW52TNU77");
        assertThat(REFS.of(intent("client-a", "key-0001", "12345678901234", "004", 15001, "KRW", DAY)))
                .isEqualTo("T991234560UJN7RKV4NU");
    }

    @Test
    void spellingDoesNotChangeTheRef() {
        Intent spelled = Intent.normalized(" client-a ", "key-0001\t", " acc-123", " 004 ", "1234-5678-901234",
                15000, " krw ", DAY);
        assertThat(REFS.of(spelled)).isEqualTo("T991234560U3BUCZYCDJ");
        assertThat(REFS.of(intent("client-a", "key-0001", "1234-5678", "004", 1, "KRW", DAY)))
                .isEqualTo(REFS.of(intent("client-a", "key-0001", "12345678", "004", 1, "krw", DAY)));
    }

    @Test
    void aSeparatorInsideAFieldCannotShiftFieldBoundaries() {
        String ab = REFS.of(intent("a|b", "c", "12345678901234", "004", 15000, "KRW", DAY));
        String bc = REFS.of(intent("a", "b|c", "12345678901234", "004", 15000, "KRW", DAY));
        assertThat(ab).isEqualTo("T991234560USCSOWPLJX");
        assertThat(bc).isEqualTo("T991234560U4D3QAK2T7");
    }

    @Test
    void theRefHasTheBanksShape() {
        assertThat(REFS.of(base())).hasSize(ExternalRefs.LENGTH).matches("T991234560U[A-Z2-7]{9}");
        // RFC 4648 §10 test vector: BASE32("foobar") = "MZXW6YTBOI======"
        assertThat(ExternalRefs.base32(new byte[]{'f', 'o', 'o', 'b', 'a', 'r'}, 9)).isEqualTo("MZXW6YTBO");
    }

    @Test
    void invalidInputIsRefused() {
        assertThatThrownBy(() -> new ExternalRefs("T99")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExternalRefs("t991234560")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> intent("client-a", "key", "--", "004", 1, "KRW", DAY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> intent("client-a", "key", "123", "004", 0, "KRW", DAY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> intent(" ", "key", "123", "004", 1, "KRW", DAY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
