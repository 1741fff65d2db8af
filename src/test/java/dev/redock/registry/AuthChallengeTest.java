package dev.redock.registry;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthChallengeTest {

    @Test
    void keepsCommasInsideQuotedValues() {
        List<AuthChallenge> challenges = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:a/b:pull,push\"");

        assertThat(challenges).containsExactly(new AuthChallenge("bearer", Map.of(
                "realm", "https://auth.docker.io/token",
                "service", "registry.docker.io",
                "scope", "repository:a/b:pull,push")));
    }

    @Test
    void readsSeveralChallengesInOneHeader() {
        List<AuthChallenge> challenges = AuthChallenge.parse(
                "Basic realm=\"x, y\", Bearer realm=\"https://a/token\", scope=\"repository:r:pull\" , Negotiate abc123==");

        assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer", "negotiate");
        assertThat(challenges.get(0).param("realm")).isEqualTo("x, y");
        assertThat(challenges.get(1).param("scope")).isEqualTo("repository:r:pull");
    }

    @Test
    void acceptsUnquotedValuesSpacesAndAnyCase() {
        AuthChallenge challenge = AuthChallenge.parse("BEARER Realm = https://auth/token , Service=reg").get(0);

        assertThat(challenge.isBearer()).isTrue();
        assertThat(challenge.param("realm")).isEqualTo("https://auth/token");
        assertThat(challenge.param("SERVICE")).isEqualTo("reg");
    }

    @Test
    void unescapesQuotedPairs() {
        AuthChallenge challenge = AuthChallenge.parse("Basic realm=\"say \\\"hi\\\"\"").get(0);

        assertThat(challenge.isBasic()).isTrue();
        assertThat(challenge.param("realm")).isEqualTo("say \"hi\"");
    }

    @Test
    void findsTheWantedSchemeAcrossHeaderValues() {
        assertThat(AuthChallenge.find(List.of("Basic realm=\"r\"", "Bearer realm=\"https://t\""), "bearer"))
                .hasValueSatisfying(c -> assertThat(c.param("realm")).isEqualTo("https://t"));
        assertThat(AuthChallenge.find(List.of("Basic realm=\"r\""), "bearer")).isEmpty();
    }

    @Test
    void survivesGarbage() {
        assertThat(AuthChallenge.parse(null)).isEmpty();
        assertThat(AuthChallenge.parse("")).isEmpty();
        assertThat(AuthChallenge.parse("Bearer realm=\"unterminated")).singleElement()
                .satisfies(c -> assertThat(c.param("realm")).isEqualTo("unterminated"));
        assertThat(AuthChallenge.parse("=,;\" Bearer")).extracting(AuthChallenge::scheme).contains("bearer");
    }
}
