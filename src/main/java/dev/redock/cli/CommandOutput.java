package dev.redock.cli;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The answer to a {@link CommandCall}, as the command runs: what it prints on its standard output and error, each piece
 * as it is flushed, then its exit code. Each piece is a frame: a kind ({@link #OUT}, {@link #ERR}, or {@link #EXIT} with
 * the code, which ends the answer), a length, and that many bytes.
 */
final class CommandOutput {

    static final byte OUT = 'o';
    static final byte ERR = 'e';
    static final byte EXIT = 'x';

    private CommandOutput() {
    }

    /**
     * Writes the answer. A caller that went away (Ctrl-C) does not stop the command: what it prints after that is dropped,
     * and the command runs to its end.
     */
    static final class Writer {
        private final DataOutputStream body;
        private boolean gone;

        Writer(OutputStream body) {
            this.body = new DataOutputStream(body);
        }

        /** A stream whose flushed bytes reach the caller as {@code kind} frames. */
        OutputStream channel(byte kind) {
            return new BufferedOutputStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    frame(kind, b, off, len);
                }

                @Override
                public void flush() {
                    flushBody();
                }
            }, 8192);
        }

        /** Ends the answer with the command's exit code. */
        synchronized void exit(int code) {
            byte[] four = {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
            frame(EXIT, four, 0, 4);
            flushBody();
        }

        private synchronized void frame(byte kind, byte[] b, int off, int len) {
            if (gone || len == 0 && kind != EXIT) {
                return;
            }
            try {
                body.writeByte(kind);
                body.writeInt(len);
                body.write(b, off, len);
            } catch (IOException e) {
                gone = true;
            }
        }

        private synchronized void flushBody() {
            if (gone) {
                return;
            }
            try {
                body.flush();
            } catch (IOException e) {
                gone = true;
            }
        }
    }

    /**
     * Copies an answer's output to {@code out} and {@code err} as it comes; returns its exit code.
     *
     * @throws EOFException when the answer ends without an exit code (the serving process stopped)
     */
    static int relay(InputStream answer, OutputStream out, OutputStream err) throws IOException {
        DataInputStream in = new DataInputStream(answer);
        byte[] buffer = new byte[8192];
        while (true) {
            byte kind = in.readByte();
            int length = in.readInt();
            if (kind == EXIT) {
                return in.readInt();
            }
            OutputStream to = kind == ERR ? err : out;
            while (length > 0) {
                int n = in.read(buffer, 0, Math.min(buffer.length, length));
                if (n < 0) {
                    throw new EOFException();
                }
                to.write(buffer, 0, n);
                length -= n;
            }
            to.flush();
        }
    }
}
