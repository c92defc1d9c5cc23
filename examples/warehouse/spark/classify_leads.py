"""Classify a table of leads on Spark with the query `leadspec sql --dialect spark` writes.

Reads the leads (CSV with a header, or Parquet) with every column as a string, runs the
generated query over them as the view `leads`, and writes each lead's id, stage, owner,
qualification, score and invalid fields as Parquet. The query is the definition: nothing
about the rules is written here.

Local mode (pyspark from pip; Java 17):

    leadspec sql --definition examples/definitions/default.toml --dialect spark > /tmp/lead_stage.sql
    python3 examples/warehouse/spark/classify_leads.py --query /tmp/lead_stage.sql \\
        --input examples/leads.csv --output /tmp/lead_stage.parquet

On a cluster, the same file with spark-submit (the master comes from the cluster):

    spark-submit --deploy-mode cluster examples/warehouse/spark/classify_leads.py \\
        --query s3://bucket/lead_stage.sql --input s3://bucket/leads/ --output s3://bucket/lead_stage/
"""

import argparse

from pyspark.sql import SparkSession
from pyspark.sql.types import StringType, StructField, StructType


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", required=True, help="the file `leadspec sql --dialect spark` wrote")
    parser.add_argument("--input", required=True, help="the leads: a CSV file with a header, or Parquet")
    parser.add_argument("--output", required=True, help="where to write the classification (Parquet)")
    parser.add_argument("--master", default=None, help="e.g. local[2]; by default, spark-submit's or local[*]")
    args = parser.parse_args()

    # The query names each step of reading a cell as a column of its own: a definition with
    # many date patterns nests more steps than the analyzer's default of 100 iterations.
    builder = SparkSession.builder.appName("leadspec classify").config("spark.sql.analyzer.maxIterations", "1000")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()

    # Every column as a string, exactly as written: the query reads cells as
    # `leadspec classify` reads a CSV (trimming, placeholders, dates, currencies...).
    if args.input.endswith(".parquet") or not args.input.endswith((".csv", ".tsv")):
        leads = spark.read.parquet(args.input)
        leads = leads.select([leads[c].cast("string").alias(c) for c in leads.columns])
    else:
        header = spark.read.option("header", True).csv(args.input).columns
        schema = StructType([StructField(c, StringType()) for c in header])
        leads = (
            spark.read.option("header", True).option("multiLine", True).option("escape", '"')
            .option("sep", "\t" if args.input.endswith(".tsv") else ",").schema(schema).csv(args.input)
        )
    leads.createOrReplaceTempView("leads")

    query = "\n".join(spark.sparkContext.textFile(args.query).collect())
    result = spark.sql(query)
    columns = [c for c in ["id", "stage", "owner", "qualified", "score", "invalid"] if c in result.columns]
    result.select(*columns).write.mode("overwrite").parquet(args.output)
    counts = result.groupBy("stage", "owner").count().orderBy("count", ascending=False).collect()
    for row in counts:
        print(f"{row['stage'] or '(unclassified)'}\t{row['owner'] or '-'}\t{row['count']}")
    spark.stop()


if __name__ == "__main__":
    main()
