package dev.reloadly.operator.lifecycle;

/** A condition a concern wants set; the reconciler applies it to the status it builds. */
public record ConditionUpdate(String type, boolean status, String reason, String message) {}
