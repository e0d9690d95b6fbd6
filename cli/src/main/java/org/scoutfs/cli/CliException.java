package org.scoutfs.cli;

/** A command cannot do what was asked; the message says why and what to do instead. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
