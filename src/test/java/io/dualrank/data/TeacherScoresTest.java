package io.dualrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherScoresTest {
  @TempDir Path tmp;

  @Test
  void roundTripKeepsEveryScoreExactly() throws Exception {
    TeacherScores.Builder b = new TeacherScores.Builder();
    b.put("q1", "d1", 3.25);
    b.put("q1", "d2", -0.1 + 0.2);
    b.put("q2", "d1", 1e-7);
    Path f = tmp.resolve("scores.txt");
    b.build().write(f);
    TeacherScores back = TeacherScores.read(f);
    assertEquals(3, back.size());
    assertEquals(-0.1 + 0.2, back.score("q1", "d2").getAsDouble());
    assertEquals(1e-7, back.score("q2", "d1").getAsDouble());
    assertTrue(back.score("q2", "d2").isEmpty());
  }

  @Test
  void absurdScoresAreRejectedAtTheirLine() throws Exception {
    Path f = tmp.resolve("absurd.txt");
    for (String score : new String[] {"1e300", "-2e6", "NaN", "Infinity"}) {
      Files.writeString(f, "q1 d1 1e6\nq1 d2 " + score + "\n");
      InputFormatException e = assertThrows(InputFormatException.class, () -> TeacherScores.read(f));
      assertEquals(2, e.line(), score);
      assertTrue(e.getMessage().startsWith(f + ":2: a "), e.getMessage());
      assertTrue(e.getMessage().contains(score), e.getMessage());
    }
  }

  @Test
  void badLinesNameFileLineAndWhatWasExpected() throws Exception {
    Path f = tmp.resolve("bad.txt");
    Files.writeString(f, "q1 d1 0.5\nq1 d2\n");
    InputFormatException e = assertThrows(InputFormatException.class, () -> TeacherScores.read(f));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("qid docid score"), e.getMessage());
    Files.writeString(f, "q1 d1 0.5\nq1 d1 0.7\n");
    e = assertThrows(InputFormatException.class, () -> TeacherScores.read(f));
    assertTrue(e.getMessage().contains("once"), e.getMessage());
    Files.writeString(f, "q1 d1 high\n");
    e = assertThrows(InputFormatException.class, () -> TeacherScores.read(f));
    assertEquals(1, e.line());
  }
}
