package org.ifpp.console;

/**
 * Who is logged in to a console: a display name and the role the credential maps to (the same role
 * the service's API gives that credential, e.g. {@code OPERATOR} or {@code SUPERVISOR}).
 */
public record ConsoleUser(String name, String role) {}
