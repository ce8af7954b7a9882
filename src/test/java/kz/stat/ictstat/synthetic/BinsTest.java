package kz.stat.ictstat.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BinsTest {
  @Test
  void checkDigitByHand() {
    // 0 4 0 1 4 0 0 0 0 0 0: 1*0+2*4+3*0+4*1+5*4+6*0+... = 8 + 4 + 20 = 32; 32 mod 11 = 10
    // -> second weights 3..11,1,2: 4*4 + 6*1 + 7*4 = 16 + 6 + 28 = 50; 50 mod 11 = 6
    assertEquals(6, Bins.checkDigit("04014000000"));
    // 1*1 = 1 -> check 1
    assertEquals(1, Bins.checkDigit("10000000000"));
    assertTrue(Bins.valid("040140000006"));
    assertFalse(Bins.valid("040140000007"));
    assertFalse(Bins.valid("04014000000"));
    assertFalse(Bins.valid("0401400000a6"));
  }

  @Test
  void numbersThatCannotBeIssuedAreSkipped() {
    // both weighted sums are 10 mod 11 for about 1 in 121 numbers: those are not issued
    int skipped = 0;
    for (long n = 0; n < 2000; n++) {
      String b = Bins.nth(2010, n);
      if (b == null) skipped++;
      else assertTrue(Bins.valid(b), b);
    }
    assertTrue(skipped > 0 && skipped < 200, "about 1 in 121 numbers is not issued: " + skipped);
  }
}
