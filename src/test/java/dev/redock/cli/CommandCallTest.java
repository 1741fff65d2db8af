package dev.redock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What the CLI hands to a serving Redock process, what it keeps to itself, and how the answer comes back. */
class CommandCallTest {

    private static CommandCall call(Map<String, String> env, String... args) {
        return new CommandCall("1.0", "/home/ada/.local/share/redock", "/home/ada/src", "UTF-8", List.of(args),
                CommandCall.deciding(env));
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        CommandCall sent = call(Map.of("DOCKER_HOST", "unix:///run/docker.sock", "HOME", "/home/ada"),
                "service", "set", "web", "-e", "GREETING=héllo wörld", "--command", "sh -c 'echo \"hi\"'", "");
        assertThat(CommandCall.read(sent.bytes())).isEqualTo(sent);
    }

    @Test
    void refusesABodyThatIsNotOne() {
        byte[] whole = call(Map.of(), "service", "ls").bytes();
        assertThatThrownBy(() -> CommandCall.read(Arrays.copyOf(whole, whole.length - 1))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> CommandCall.read(Arrays.copyOf(whole, whole.length + 1))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> CommandCall.read("GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void comparesOnlyTheVariablesThatChooseWhatACommandDoes() {
        Map<String, String> mine = Map.of("HOME", "/home/ada", "DOCKER_HOST", "tcp://a:2375", "REDOCK_MIN_UPTIME", "1s",
                "PATH", "/usr/bin", "TERM", "xterm", "GIT_SSH_COMMAND", "ssh -i key", "XDG_DATA_HOME", "/data");
        CommandCall c = call(mine, "service", "ls");
        assertThat(c.env()).containsOnlyKeys("HOME", "DOCKER_HOST", "REDOCK_MIN_UPTIME", "GIT_SSH_COMMAND", "XDG_DATA_HOME");

        Map<String, String> theirs = new java.util.HashMap<>(mine);
        theirs.put("PATH", "/opt/bin");
        theirs.put("TERM", "dumb");
        assertThat(c.differences(theirs)).isEmpty();
        theirs.put("DOCKER_HOST", "tcp://b:2375");
        theirs.remove("REDOCK_MIN_UPTIME");
        theirs.put("DOCKER_CONTEXT", "remote");
        assertThat(c.differences(theirs)).containsExactly("DOCKER_CONTEXT", "DOCKER_HOST", "REDOCK_MIN_UPTIME");
    }

    @Test
    void keepsTheAgentTheUnlockAndHelpOnATerminalToThemselves() {
        assertThat(CommandCall.runsHereOnly(new String[] {"agent", "--interval", "5s"}, false)).isTrue();
        assertThat(CommandCall.runsHereOnly(new String[] {"service", "unlock", "web"}, false)).isTrue();
        assertThat(CommandCall.runsHereOnly(new String[] {"service", "--help"}, true)).isTrue();
        assertThat(CommandCall.runsHereOnly(new String[] {"service", "--help"}, false)).isFalse();
        assertThat(CommandCall.runsHereOnly(new String[] {"service", "ls"}, true)).isFalse();
        assertThat(CommandCall.runsHereOnly(new String[] {"service", "run", "--name", "agent", "img"}, false)).isFalse();
        assertThat(CommandCall.runsHereOnly(new String[] {"--version"}, false)).isFalse();
    }

    @Test
    void theAnswerCarriesBothStreamsInTheirOrderAndTheExitCode() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        CommandOutput.Writer writer = new CommandOutput.Writer(wire);
        PrintStream out = new PrintStream(writer.channel(CommandOutput.OUT), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(writer.channel(CommandOutput.ERR), true, StandardCharsets.UTF_8);
        out.println("NAME   UUID");
        err.println("redock: héllo");
        out.print("no newline");
        out.flush();
        writer.exit(2);

        ByteArrayOutputStream gotOut = new ByteArrayOutputStream();
        ByteArrayOutputStream gotErr = new ByteArrayOutputStream();
        int code = CommandOutput.relay(new ByteArrayInputStream(wire.toByteArray()), gotOut, gotErr);
        assertThat(code).isEqualTo(2);
        assertThat(gotOut.toString(StandardCharsets.UTF_8)).isEqualTo("NAME   UUID\nno newline");
        assertThat(gotErr.toString(StandardCharsets.UTF_8)).isEqualTo("redock: héllo\n");
    }

    @Test
    void anAnswerCutShortIsNotTakenForAnExitCode() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        CommandOutput.Writer writer = new CommandOutput.Writer(wire);
        new PrintStream(writer.channel(CommandOutput.OUT), true, StandardCharsets.UTF_8).println("half");
        assertThatThrownBy(() -> CommandOutput.relay(new ByteArrayInputStream(wire.toByteArray()),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())).isInstanceOf(EOFException.class);
    }
}
