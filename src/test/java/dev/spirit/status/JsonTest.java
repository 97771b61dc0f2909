package dev.spirit.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void everyStringSurvivesAnIndependentParser() throws Exception {
    String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 nul \u0000 `tick` é 日本 \uD83D\uDE00";
    JsonNode node = JACKSON.readTree(Json.object().put("s", nasty).toString());
    assertThat(node.path("s").asText()).isEqualTo(nasty);
  }

  @Test
  void numbersNullsBooleansObjectsAndLists() throws Exception {
    String line = Json.object().put("i", 42L).put("d", 1.5).put("nan", Double.NaN).put("n", null).put("b", true)
        .put("o", Json.object().put("x", 1)).put("l", Arrays.asList("a", null, Json.object().put("y", 2)))
        .toString();
    assertThat(line).doesNotContain("\n");
    JsonNode node = JACKSON.readTree(line);
    assertThat(node.path("i").asLong()).isEqualTo(42);
    assertThat(node.path("d").asDouble()).isEqualTo(1.5);
    assertThat(node.path("nan").isNull()).as("not a JSON number").isTrue();
    assertThat(node.path("n").isNull()).isTrue();
    assertThat(node.path("b").asBoolean()).isTrue();
    assertThat(node.path("o").path("x").asInt()).isEqualTo(1);
    assertThat(node.path("l").get(2).path("y").asInt()).isEqualTo(2);
    assertThat(node.path("l").get(1).isNull()).isTrue();
  }

  @Test
  void aValueThatIsNotJsonIsRefused() {
    assertThatThrownBy(() -> Json.object().put("x", new Object()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void phasesHaveUpstreamNamesAndTheirOwnKeys() {
    assertThat(Phase.COPY.upstreamName()).isEqualTo("copyRows");
    assertThat(Phase.WAIT_FOR_RELEASE.upstreamName()).isEqualTo("waitingOnSentinelTable");
    assertThat(Phase.CATCH_UP.key()).isEqualTo("catchUp");
    assertThat(Phase.FAST_PATH.key()).isEqualTo("fastPath");
  }
}
