package dev.redock.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** A command line gets the commands its words need, and answers every word as the whole tree does. */
class CommandTreeTest {

    @TempDir
    Path home;

    /** What makes the commands, as the CLI does (some take its context); they never run here. */
    private CommandLine.IFactory factory() {
        return Cli.factory(new CliContext(Map.of("REDOCK_HOME", home.toString()), System.out, System.err));
    }

    @Test
    void aCommandThatRunsBuildsOnlyTheCommandsOnItsPath() {
        CommandLine top = CommandTree.of(new String[] {"service", "ls", "-q"}, factory());
        assertThat(top.getSubcommands()).containsOnlyKeys("service");
        CommandLine service = top.getSubcommands().get("service");
        assertThat(service.getSubcommands()).containsOnlyKeys("ls");
        assertThat(service.getSubcommands().get("ls").getSubcommands()).isEmpty();

        CommandLine trigger = CommandTree.of(new String[] {"service", "trigger", "ls", "web"}, factory())
                .getSubcommands().get("service").getSubcommands().get("trigger");
        assertThat(trigger.getSubcommands()).containsOnlyKeys("ls");
    }

    @Test
    void whereTheWordsStopNamingCommandsEveryCommandBelowIsThere() {
        CommandLine service = CommandTree.of(new String[] {"service", "--help"}, factory())
                .getSubcommands().get("service");
        assertThat(service.getSubcommands()).containsOnlyKeys(names(CommandTree.whole(factory())
                .getSubcommands().get("service")).toArray(String[]::new));
        assertThat(service.getSubcommands().get("trigger").getSubcommands()).containsOnlyKeys("create", "ls", "rm");
        assertThat(names(CommandTree.of(new String[] {"--version"}, factory())))
                .containsExactly("service", "engine", "agent", "settings");
    }

    /**
     * Help at every level, unknown options and commands (with their "Did you mean"), missing commands, argument files:
     * the same output and exit code as with the whole tree, for every command in it.
     */
    @Test
    void answersHelpAndBadWordsAsTheWholeTreeDoes() {
        List<List<String>> commands = new ArrayList<>();
        paths(CommandTree.whole(factory()), List.of(), commands);
        assertThat(commands).hasSizeGreaterThan(25);
        int compared = 0;
        for (List<String> path : commands) {
            CommandLine command = find(path);
            List<List<String>> words = new ArrayList<>();
            for (String extra : List.of("--help", "-V", "--bogus")) {
                words.add(plus(path, extra));
            }
            if (!command.getSubcommands().isEmpty()) {
                words.add(path);
                words.add(plus(path, "bogus"));
                words.add(plus(path, "--"));
                words.add(plus(path, "@" + home.resolve("no-such-file")));
                for (String name : command.getSubcommands().keySet()) {
                    words.add(plus(path, name.substring(0, name.length() - 1)));
                    words.add(plus(path, name + "x"));
                    words.add(plus(plus(path, "--help"), name));
                    words.add(plus(plus(path, "-V"), name));
                }
            }
            for (List<String> args : words) {
                assertThat(run(args, false)).as(String.join(" ", args)).isEqualTo(run(args, true));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(150);
    }

    private String run(List<String> words, boolean whole) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = words.toArray(String[]::new);
        try (CliContext context = new CliContext(Map.of("REDOCK_HOME", home.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))) {
            CommandLine.IFactory factory = Cli.factory(context);
            CommandLine cmd = Cli.configure(whole ? CommandTree.whole(factory) : CommandTree.of(args, factory), context,
                    StandardCharsets.UTF_8);
            int code = cmd.execute(args);
            return "exit " + code + "\n" + out.toString(StandardCharsets.UTF_8) + "--- err\n" + err.toString(StandardCharsets.UTF_8);
        }
    }

    private CommandLine find(List<String> path) {
        CommandLine at = CommandTree.whole(factory());
        for (String name : path) {
            at = at.getSubcommands().get(name);
        }
        return at;
    }

    private static void paths(CommandLine at, List<String> path, List<List<String>> into) {
        into.add(path);
        for (Map.Entry<String, CommandLine> sub : at.getSubcommands().entrySet()) {
            paths(sub.getValue(), plus(path, sub.getKey()), into);
        }
    }

    private static List<String> names(CommandLine command) {
        return new ArrayList<>(command.getSubcommands().keySet());
    }

    private static List<String> plus(List<String> words, String word) {
        List<String> result = new ArrayList<>(words);
        result.add(word);
        return result;
    }
}
