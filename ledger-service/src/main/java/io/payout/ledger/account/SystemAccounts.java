package io.payout.ledger.account;

/**
 * The ids of a currency's internal accounts. The database creates them with the currency's first customer account
 * (trigger {@code accounts_customer_setup}, V2) and its {@code accounts_ids_by_kind} check pins these ids, so code
 * may post to them without looking them up. Customer ids never contain ':', so neither namespace can take the other's.
 */
public final class SystemAccounts {
    private SystemAccounts() {
    }

    /** Money reserved for transfers in flight: credited by a hold, debited by its settle or release. */
    public static String holds(String currency) {
        return "holds:" + currency;
    }

    /** Money sent to other banks: credited by a settle. */
    public static String bankClearing(String currency) {
        return "bank-clearing:" + currency;
    }

    /** Money coming in: debited by a deposit. */
    public static String funding(String currency) {
        return "funding:" + currency;
    }
}
