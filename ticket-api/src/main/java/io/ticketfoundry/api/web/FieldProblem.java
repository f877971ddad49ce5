package io.ticketfoundry.api.web;

/** One offending field, named by its JSON path (e.g. {@code spec.training.learningRate}). */
public record FieldProblem(String field, String message) {
}
