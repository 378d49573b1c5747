package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventPayloadsTest {

    @Test
    void textEventIsWrittenExactlyAsJacksonWritesIt() {
        ObjectMapper json = new ObjectMapper();
        Random random = new Random(6);
        List<String> cases = new java.util.ArrayList<>(List.of("", "plain", "quote \" and \\ backslash",
                "line\nbreak\r\ttab\b\f", "\u0000\u0001\u001f\u007f", "é 😀 \u2028 </script>", "\uD800 lone"));
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(12); j > 0; j--) {
                sb.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
            }
            cases.add(sb.toString());
        }
        for (String s : cases) {
            assertThat(EventPayloads.text(s)).isEqualTo(json.createObjectNode().put("text", s).toString());
        }
    }
}
