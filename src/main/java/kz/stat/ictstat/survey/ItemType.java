package kz.stat.ictstat.survey;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The kinds of canonical item, each with its Spark type in {@code core.responses}. */
public enum ItemType {
  /** text key (the BIN). */
  ID(DataTypes.StringType),
  /** the reference year. */
  YEAR(DataTypes.IntegerType),
  /** a classifier code, kept as text (leading zeros matter), checked against the classifier. */
  CODE(DataTypes.StringType),
  /** 1 yes, 0 no. */
  BINARY(DataTypes.IntegerType),
  /** an integer code from a list of allowed values. */
  CLASS(DataTypes.IntegerType),
  /** a whole number >= 0 (units, persons). */
  COUNT(DataTypes.LongType),
  /** an amount >= 0 (thousand tenge); decimals allowed. */
  AMOUNT(DataTypes.DoubleType);

  private final DataType sparkType;

  ItemType(DataType sparkType) {
    this.sparkType = sparkType;
  }

  public DataType sparkType() {
    return sparkType;
  }

  public boolean numeric() {
    return this == BINARY || this == CLASS || this == COUNT || this == AMOUNT;
  }
}
