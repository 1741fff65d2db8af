package dev.redock.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fault matrix's table: one row per case (case, what was done, service serving after, data intact, and whether the test
 * passed), printed after the last case as a Markdown table between two {@code [fault-matrix]} lines, so that the CI output
 * carries it; also written to {@code target/fault-matrix.md}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FaultMatrix MATRIX = new FaultMatrix();
 *
 * MATRIX.row("2", "SIGKILL of `service redeploy` at created; then `redock service ls`");
 * MATRIX.observed(after.serving(), after.dataIntact());   // before asserting, so that a failing case still has its row
 * }</pre>
 */
public final class FaultMatrix implements BeforeEachCallback, AfterTestExecutionCallback, AfterAllCallback {

    public static final String FRAME = "[fault-matrix]";
    private static final Path FILE = Path.of("target", "fault-matrix.md");
    private static final int REASON_MAX = 220;

    /** One case's row. */
    public static final class Row {
        private String caseId;
        private String done;
        private Boolean serving;
        private Boolean dataIntact;
        private String result = "";
        private final List<String> notes = new ArrayList<>();
        private java.util.function.Supplier<String> explanation;

        Row(String caseId, String done) {
            this.caseId = caseId;
            this.done = done;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private Row current;

    /** Names the running case and says what it does. */
    public synchronized void row(String caseId, String done) {
        current.caseId = caseId;
        current.done = done;
    }

    /** Adds to what was done: a step as it happens ("exited after 3 s"). */
    public synchronized void did(String more) {
        current.done = current.done + "; " + more;
    }

    /** What the case found after the fault; null for a question that does not apply. */
    public synchronized void observed(Boolean serving, Boolean dataIntact) {
        current.serving = serving;
        current.dataIntact = dataIntact;
    }

    /** A finding worth a line in the table (the version that serves, what history says). */
    public synchronized void note(String note) {
        current.notes.add(note);
    }

    /**
     * What to find out when the case fails (e.g. what history says), while the service is still as the fault left it; not
     * asked when it passes, to keep the suite quick. Null: nothing more to find out.
     */
    public synchronized void explainWith(java.util.function.Supplier<String> explanation) {
        current.explanation = explanation;
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        current = new Row(context.getDisplayName(), context.getDisplayName());
    }

    @Override
    public synchronized void afterTestExecution(ExtensionContext context) {
        current.result = context.getExecutionException().map(FaultMatrix::reason).orElse("pass");
        if (context.getExecutionException().isPresent() && current.explanation != null) {
            try {
                String more = current.explanation.get();
                if (!current.notes.contains(more)) {
                    current.notes.add(more);
                }
            } catch (RuntimeException | AssertionError e) {
                current.notes.add("(could not find out more: " + e.getMessage() + ")");
            }
        }
        rows.add(current);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Nested classes inherit the extension: print once, after the outermost class.
        if (context.getRequiredTestClass().getEnclosingClass() == null) {
            String table = table();
            System.out.println(table);
            try {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, table, StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.out.println("(could not write " + FILE + ": " + e.getMessage() + ")");
            }
        }
    }

    /** The table as it stands. */
    public synchronized String table() {
        StringBuilder b = new StringBuilder();
        b.append(FRAME).append('\n');
        b.append("| Case | What was done | Serving after | Data intact | Found | Test |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(cell(r.caseId))
                    .append(" | ").append(cell(r.done))
                    .append(" | ").append(yesNo(r.serving))
                    .append(" | ").append(yesNo(r.dataIntact))
                    .append(" | ").append(cell(String.join("; ", r.notes)))
                    .append(" | ").append(cell(r.result))
                    .append(" |\n");
        }
        b.append(FRAME).append('\n');
        return b.toString();
    }

    private static String yesNo(Boolean b) {
        return b == null ? "n/a" : b ? "yes" : "**no**";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static String reason(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        String first = message.lines().filter(l -> !l.isBlank()).findFirst().orElse(message).strip();
        if (first.length() > REASON_MAX) {
            first = first.substring(0, REASON_MAX) + "...";
        }
        return "FAIL: " + first;
    }
}
