package io.ticketfoundry.api.team;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

public enum TeamRole {
    ADMIN, MEMBER, VIEWER;

    @JsonValue
    public String dbValue() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static TeamRole fromDb(String value) {
        if (value == null) {
            return null;
        }
        for (TeamRole role : values()) {
            if (role.dbValue().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be one of admin, member, viewer");
    }
}
