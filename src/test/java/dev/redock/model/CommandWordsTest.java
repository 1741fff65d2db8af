package dev.redock.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandWordsTest {

    @Test
    void splitsAsAShellWouldAndJoinsBackToTheSameWords() {
        List<String> words = CommandWords.split("nginx -g 'daemon off;'  sh -c \"echo \\\"hi\\\"\" a\\ b \"\"");
        assertThat(words).containsExactly("nginx", "-g", "daemon off;", "sh", "-c", "echo \"hi\"", "a b", "");
        assertThat(CommandWords.split(CommandWords.join(words))).isEqualTo(words);
        assertThat(CommandWords.split("  ")).isEmpty();
        assertThat(CommandWords.split(null)).isEmpty();
    }

    @Test
    void anUnclosedQuoteOrALoneBackslashIsRefused() {
        assertThatThrownBy(() -> CommandWords.split("sh -c 'echo"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("unclosed single quote");
        assertThatThrownBy(() -> CommandWords.split("echo \\"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("lone backslash");
    }
}
