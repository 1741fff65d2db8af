package dev.redock.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Parameters;

/** A command about one service, named by its name or its uuid (or a unique prefix of it). */
abstract class OnService implements Callable<Integer> {

    protected final CliContext ctx;

    @Parameters(index = "0", paramLabel = "NAME|UUID", description = "The service's name or uuid.")
    String service;

    OnService(CliContext ctx) {
        this.ctx = ctx;
    }
}
