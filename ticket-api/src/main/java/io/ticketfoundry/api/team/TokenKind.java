package io.ticketfoundry.api.team;

public enum TokenKind {
    PLATFORM_ADMIN("platform-admin"), USER("user"), WORKER("worker");

    private final String dbValue;

    TokenKind(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    public static TokenKind fromDb(String value) {
        for (TokenKind kind : values()) {
            if (kind.dbValue.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown token kind " + value);
    }
}
