"""Read many data processing agreements with `aftale` on Spark, and build the cross-agreement
tables (sub-processor register, deadlines, review matrix) with Spark SQL.

Usage::

    spark-submit --master local[2] scale/spark/aftale_job.py \\
        --bin target/release/aftale --input corpus/ [--input DIR2 ...] --output OUT \\
        [--partitions N] [--jobs-per-task N]

On a cluster (``--master yarn`` or ``spark://host:7077``) the inputs and OUTPUT must be on a
filesystem every executor sees under the same path (NFS, a mounted share), and the binary either
sits at ``--bin PATH`` on every worker or is shipped with the job::

    spark-submit --master yarn --files /opt/aftale/bin/aftale scale/spark/aftale_job.py \\
        --bin aftale --input /shared/dpa --output /shared/dpa-out

A task uses ``--bin`` when that file exists on its machine, else the file that ``--files``
shipped under the same base name (``SparkFiles.get``), made executable.

What happens:

1. The driver lists every file under the inputs (recursively, whatever its extension: aftale
   says ``skipped`` for what it cannot read, so nothing is silently dropped), sorts the paths
   and spreads them over partitions (about 200 files each, rounded up to a multiple of the
   default parallelism so the last wave keeps every core busy).
2. Each partition runs ``aftale extract --jsonl - -j N`` once, writing its paths to the
   binary's stdin from a thread and reading the JSON lines back as they come. Exit status 1 is
   normal (some files failed; they have lines). A path that got no line (a crash, a kill)
   becomes a ``failed`` line with the reason, so every input has exactly one line.
3. Written under OUTPUT:

   - ``records/``: the lines exactly as aftale printed them, all statuses (JSON Lines);
   - ``parquet/``: the ok records, partitioned by ``vendor_key`` (the vendor lower-cased, runs
     of anything but letters and digits as ``-``, ``_none`` without a vendor) and ``year`` (the
     first four characters of the record's ``date``, ``_none`` without one). The free-keyed
     ``subprocessors[].extra`` (columns keyed by their headings) is a ``map<string,string>``,
     not a struct with a field for every heading ever seen;
   - ``failed/``: path, status and reason of every input without a record (JSON Lines);
   - ``register/``: one company per line, the fields of ``aftale subprocessors --json``;
   - ``deadlines/``: one row per deadline, the agreement's fields and ``controllers_own``, as
     ``aftale deadlines --json``;
   - ``review/``: the review matrix, one row per agreement, one column per review item;
   - ``register_csv/``, ``deadlines_csv/``, ``review_csv/``: CSV copies (lists joined by " | ");
   - ``summary.json``: the counts and timing of the summary line (a local path: with a
     non-local OUTPUT such as ``hdfs://``, only the stderr line is written).

Everything that needs knowledge of Danish agreements (reading, the register's grouping key, the
review) is done per document by the binary and comes in the line's ``derived`` object; the
cross-agreement tables are DataFrame operations over those lines.

A one-line summary (inputs, ok, failed, skipped, seconds, docs/s) goes to stderr at the end.
"""

import argparse
import json
import os
import stat
import subprocess
import sys
import threading
import time

from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

FILES_PER_PARTITION = 200


def parse_args(argv):
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", required=True, help="the aftale binary (path on the workers, or "
                   "the base name of a file shipped with spark-submit --files)")
    p.add_argument("--input", action="append", required=True,
                   help="a file or folder of agreements (repeatable)")
    p.add_argument("--output", required=True, help="the output folder (must not exist)")
    p.add_argument("--partitions", type=int, default=None,
                   help="number of partitions (default: files/200, at least the parallelism)")
    p.add_argument("--jobs-per-task", type=int, default=1,
                   help="aftale worker threads per Spark task (-j)")
    return p.parse_args(argv)


def list_inputs(inputs):
    """Every file under the inputs (recursively), absolute, sorted; hidden files included."""
    found = set()
    for given in inputs:
        given = os.path.abspath(given)
        if os.path.isdir(given):
            for root, _dirs, files in os.walk(given):
                for name in files:
                    found.add(os.path.join(root, name))
        else:
            found.add(given)
    return sorted(found)


def partitions_for(files, parallelism):
    """About ``FILES_PER_PARTITION`` files a partition, rounded up to a whole number of waves
    of ``parallelism`` tasks so that no core idles while one partition finishes alone."""
    wanted = max(1, -(-files // FILES_PER_PARTITION))
    return -(-wanted // parallelism) * parallelism


def resolve_binary(given):
    """The binary a task runs: ``given`` when it exists here, else the file shipped with
    ``--files`` under its base name. Made executable (``--files`` drops the mode bits)."""
    path = given if os.path.isfile(given) else SparkFiles.get(os.path.basename(given))
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"aftale binary not found: {given} (give a path present on every worker, or ship it "
            f"with spark-submit --files)")
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def failed_line(path, reason):
    """The line of an input aftale gave none for, as aftale writes failures."""
    return json.dumps({"status": "failed", "path": path, "reason": reason}, ensure_ascii=False,
                      separators=(",", ":"))


def extract_partition(binary, jobs):
    """A function for ``mapPartitions``: run aftale once over the partition's paths and yield
    its lines, one per path in order; paths it gave no line for become ``failed`` lines."""

    def run(paths):
        paths = list(paths)
        if not paths:
            return
        try:
            exe = resolve_binary(binary)
            proc = subprocess.Popen(
                [exe, "extract", "--jsonl", "-", "-j", str(jobs)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            for p in paths:
                yield failed_line(p, f"cannot start aftale: {e}")
            return
        stderr = []

        def feed():
            try:
                for p in paths:
                    proc.stdin.write(p.encode("utf-8") + b"\n")
                proc.stdin.close()
            except OSError:
                pass  # aftale died; its missing lines are reported below

        def drain():
            stderr.append(proc.stderr.read())

        writers = [threading.Thread(target=feed, daemon=True),
                   threading.Thread(target=drain, daemon=True)]
        for t in writers:
            t.start()
        got = 0
        for raw in proc.stdout:
            line = raw.decode("utf-8").rstrip("\n")
            if line.strip():
                got += 1
                yield line
        code = proc.wait()
        for t in writers:
            t.join()
        if got < len(paths):
            tail = b"".join(stderr).decode("utf-8", "replace").strip().splitlines()[-3:]
            reason = (f"aftale exited with status {code} before reading this file"
                      + (f": {' / '.join(tail)}" if tail else ""))
            for p in paths[got:]:
                yield failed_line(p, reason)

    return run


# --- Schemas of the parts of a line the tables read (explicit, so that no table depends on
# what schema inference happens to see in one batch). ---

IDENTIFIER = "struct<kind:string,value:string,valid:boolean>"
SUBPROCESSOR = (f"struct<name:string,identifier:{IDENTIFIER},country:string,location:string,"
                "third_country:boolean,transfer_basis:string,category:string,clause:string>")
DERIVED_ROW = "struct<group:string,name_key:string,id_label:string,bankrupt:boolean>"
DEADLINE = ("struct<clause:string,text:string,kind:string,amount:double,unit:string,"
            "qualifier:string,hours:double,every:double,trigger:string,topic:string,"
            "template:boolean,min:double,max:double,party:string,counterparty:string,"
            "action:string>")
ITEM = "struct<id:string,status:string,clauses:array<string>,reason:string>"
LINE = (
    "struct<status:string,path:string,location:string,reason:string,id:string,title:string,"
    "vendor:string,version:string,date:string,"
    f"subprocessors:array<{SUBPROCESSOR}>,deadlines:array<{DEADLINE}>,"
    f"derived:struct<subprocessors:array<{DERIVED_ROW}>,"
    "deadlines:array<struct<controllers_own:boolean>>,"
    f"review:struct<playbook:string,items:array<{ITEM}>>>>"
)


def names_differ(keys):
    """Mirrors ``names_differ`` in src/register.rs: are these name keys (of the sorted distinct
    names, consecutive duplicates removed) for different companies, i.e. does some pair share
    fewer than half of the words of the shorter one?"""
    deduped = []
    for k in keys or []:
        if not deduped or deduped[-1] != k:
            deduped.append(k)
    for i, a in enumerate(deduped):
        for b in deduped[i + 1:]:
            wa, wb = a.split(), b.split()
            shared = sum(1 for w in wa if w in wb)
            if shared * 2 < max(min(len(wa), len(wb)), 1):
                return True
    return False


def file_name_col(path):
    """The last part of a path (``index::file_name``)."""
    return F.element_at(F.split(path, "/"), -1)


def agreement_col():
    """How a reviewer knows the agreement: its vendor, else its file name
    (``Agreement::name``)."""
    return F.coalesce(F.col("vendor"), file_name_col(F.col("location")))


def register(ok):
    """The sub-processor register (``register::register`` and ``export::register::json``):
    one row per company, sorted as the Rust register sorts."""
    rows = (ok.select("location", "id", "title", "version", "vendor",
                      F.posexplode(F.arrays_zip(F.col("subprocessors").alias("row"),
                                                F.col("derived.subprocessors").alias("d"))))
            .select("location", "id", "title", "version", "vendor", "pos",
                    F.col("col.row").alias("row"), F.col("col.d").alias("d")))
    # One row per (group, name) with its count and folded key: the most frequent name wins,
    # ties to the greatest string (BTreeMap + max_by_key keeps the last maximum).
    counts = (rows.groupBy(F.col("d.group").alias("group"), F.col("row.name").alias("name"))
              .agg(F.count("*").alias("n"), F.first("d.name_key").alias("key")))
    names = (counts.groupBy("group")
             .agg(F.max(F.struct("n", "name", "key")).alias("top"),
                  F.array_sort(F.collect_list(F.struct("name", "key"))).alias("spellings")))
    # Rows in the order the Rust register sees them: agreements by document key (the canonical
    # path), rows in table order.
    ordered = (rows.groupBy(F.col("d.group").alias("group"))
               .agg(F.array_sort(F.collect_list(F.struct(
                   "location", "pos", "id", "title", "version", "vendor", "row", "d")))
                   .alias("rows")))
    differ = F.udf(names_differ, T.BooleanType())
    first_with = lambda field: F.expr(  # noqa: E731
        f"try_element_at(filter(rows, r -> r.row.{field} is not null), 1)")
    distinct = lambda field: F.expr(  # noqa: E731
        f"array_distinct(filter(transform(rows, r -> r.row.{field}), v -> v is not null))")
    c = (ordered.join(names, "group")
         .withColumn("first_id", first_with("identifier"))
         .select(
             "group",
             F.col("top.name").alias("name"),
             F.col("top.key").alias("name_key"),
             F.expr("transform(spellings, s -> s.name)").alias("names"),
             F.col("first_id.row.identifier").alias("identifier"),
             F.col("first_id.d.id_label").alias("id_label"),
             first_with("country").getField("row").getField("country").alias("country"),
             F.expr("CASE WHEN exists(rows, r -> r.row.third_country = true) THEN true "
                    "WHEN forall(rows, r -> coalesce(r.row.third_country = false, false)) "
                    "THEN false END").alias("third_country"),
             distinct("transfer_basis").alias("transfer_bases"),
             distinct("category").alias("categories"),
             distinct("location").alias("locations"),
             F.expr("transform(rows, r -> named_struct("
                    "'id', r.id, 'path', r.location, 'title', r.title, 'version', r.version, "
                    "'category', r.row.category, 'clause', r.row.clause, "
                    "'agreement', coalesce(r.vendor, element_at(split(r.location, '/'), -1)), "
                    "'vendor', r.vendor))").alias("agreements"),
             differ(F.expr("transform(spellings, s -> s.key)")).alias("differ"),
             F.expr("exists(rows, r -> r.d.bankrupt)").alias("bankrupt")))
    ident = F.concat_ws(" ", F.col("id_label"), F.col("identifier.value"))
    flags = F.filter(F.array(
        F.when(F.col("identifier").isNotNull() & ~F.col("identifier.valid"),
               F.concat(ident, F.lit(" fails its check"))),
        F.when(F.col("identifier").isNotNull() & F.col("differ"),
               F.concat(ident, F.lit(" is used for different names: "),
                        F.array_join("names", " / "))),
        F.when(F.col("bankrupt"),
               F.lit("the name says the company is bankrupt (Konkurs)"))),
        lambda f: f.isNotNull())
    return c.withColumn("flags", flags).select(
        "name_key", "group", "name", "names", "identifier", "country", "third_country",
        "transfer_bases", "categories", "locations", "agreements", "flags")


def deadlines(ok):
    """One row per deadline with the agreement's fields (``export::deadlines::lines`` without a
    topic): shortest first, qualitative duties after the numbered ones, then by agreement and
    path."""
    d = (ok.select("location", "title", "version", "vendor",
                   F.posexplode(F.arrays_zip(F.col("deadlines").alias("dl"),
                                             F.col("derived.deadlines").alias("dd"))))
         .select(F.col("location").alias("path"), agreement_col().alias("agreement"), "vendor",
                 "title", "version", "pos", "col.dl.*", F.lit(False).alias("none_stated"),
                 F.col("col.dd.controllers_own").alias("controllers_own")))
    return d


def review_matrix(ok, item_ids):
    """The review matrix (``aftale review --csv``): one row per agreement, one column per
    checklist item (``item_ids``, the playbook's order) with its status, and the counts of
    missing and weak items. A Spark SQL pivot of the per-document review in ``derived``."""
    items = (ok.select(F.col("id").alias("document_id"), agreement_col().alias("agreement"),
                       F.col("location").alias("path"),
                       F.explode("derived.review.items").alias("item"))
             .select("document_id", "agreement", "path", F.col("item.id").alias("item_id"),
                     F.col("item.status").alias("status")))
    matrix = (items.groupBy("document_id", "agreement", "path")
              .pivot("item_id", item_ids).agg(F.first("status")))
    counted = (items.groupBy("document_id", "path")
               .agg(F.sum(F.when(F.col("status") == "missing", 1).otherwise(0)).alias("missing"),
                    F.sum(F.when(F.col("status") == "weak", 1).otherwise(0)).alias("weak")))
    return matrix.join(counted, ["document_id", "path"]).select(
        "document_id", "agreement", "path", *item_ids, "missing", "weak")


def parquet_schema(inferred):
    """The schema Spark inferred from the lines, with ``subprocessors[].extra`` (a table's
    columns aftale did not recognise, keyed by their free-text headings) as a
    ``map<string,string>`` instead of a struct with one field per heading ever seen."""
    fields = []
    for f in inferred.fields:
        element = f.dataType.elementType if isinstance(f.dataType, T.ArrayType) else None
        if f.name == "subprocessors" and isinstance(element, T.StructType):
            element = T.StructType([
                T.StructField(g.name, T.MapType(T.StringType(), T.StringType()), True)
                if g.name == "extra" else g for g in element.fields])
            f = T.StructField(f.name, T.ArrayType(element, True), True)
        fields.append(f)
    return T.StructType(fields)


def write_parquet(spark, records, out):
    """The ok records as Parquet, partitioned by ``vendor_key`` (the vendor lower-cased, runs of
    anything but letters and digits as ``-``, ``_none`` without one) and ``year`` (the first four
    characters of ``date`` when they are digits, else ``_none``). Schema inference and the
    write run in the JVM (no Python per record)."""
    inferred = spark.read.json(records).schema
    df = spark.read.schema(parquet_schema(inferred)).json(records).where("status = 'ok'")
    key = F.regexp_replace(F.regexp_replace(F.lower("vendor"), r"[^\p{L}\p{N}]+", "-"),
                           "^-+|-+$", "")
    df = (df.drop("status", "reason")
          .withColumn("vendor_key", F.when(F.coalesce(key, F.lit("")) == "", "_none")
                      .otherwise(key))
          .withColumn("year", F.when(F.col("date").rlike("^[0-9]{4}"),
                                     F.substring("date", 1, 4)).otherwise("_none")))
    # All records of one (vendor, year) into one task first: one file per folder, instead of a
    # small file in every folder for every task that met the vendor (thousands of tiny files).
    (df.repartition("vendor_key", "year")
     .write.partitionBy("vendor_key", "year").parquet(os.path.join(out, "parquet")))


def csv_ready(df):
    """Lists joined by " | " and structs as JSON, so a table can be written as CSV."""
    cols = []
    for field in df.schema.fields:
        if isinstance(field.dataType, T.ArrayType) and isinstance(
                field.dataType.elementType, T.StringType):
            cols.append(F.array_join(field.name, " | ").alias(field.name))
        elif isinstance(field.dataType, (T.ArrayType, T.StructType, T.MapType)):
            cols.append(F.to_json(field.name).alias(field.name))
        else:
            cols.append(F.col(field.name))
    return df.select(cols)


def write_table(df, out, name, order, hidden=()):
    """One JSON Lines file (nulls kept, as aftale prints them) and one CSV file, rows in
    ``order``; the ``hidden`` columns (sort keys) are left out of both."""
    single = df.repartition(1).sortWithinPartitions(*order)
    shown = [c for c in df.columns if c not in hidden]
    single.select(F.to_json(F.struct(*shown), {"ignoreNullFields": "false"}))\
        .write.text(os.path.join(out, name))
    csv_ready(single.select(*shown)).write.option("header", True)\
        .csv(os.path.join(out, name + "_csv"))


def main(argv):
    """Run the job; the summary line goes to stderr."""
    args = parse_args(argv)
    started = time.time()
    spark = (SparkSession.builder.appName("aftale")
             .config("spark.sql.jsonGenerator.ignoreNullFields", "false")
             .getOrCreate())
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    out = args.output
    paths = list_inputs(args.input)
    slices = args.partitions or partitions_for(len(paths), sc.defaultParallelism)
    slices = max(1, min(slices, len(paths) or 1))
    if "spark.sql.shuffle.partitions" not in dict(sc.getConf().getAll()):
        # The tables are small next to the records: Spark's 200 shuffle partitions would be
        # 200 tiny tasks per grouping on a laptop.
        spark.conf.set("spark.sql.shuffle.partitions", str(max(sc.defaultParallelism, slices)))
    lines = (sc.parallelize(paths, slices)
             .mapPartitions(extract_partition(args.bin, args.jobs_per_task)))
    lines.saveAsTextFile(os.path.join(out, "records"))
    extracted = time.time() - started

    # Everything below reads the saved lines back, so aftale runs once per file.
    raw = spark.read.text(os.path.join(out, "records"))
    # Only the parsed parts the tables read are cached, not the lines' text.
    parsed = raw.select(F.from_json("value", LINE).alias("l")).cache()
    counts = {r["status"]: r["n"] for r in
              parsed.groupBy(F.col("l.status").alias("status"))
              .agg(F.count("*").alias("n")).collect()}
    parsed.where("l.status <> 'ok'").select("l.path", "l.status", "l.location", "l.reason")\
        .orderBy("path").write.json(os.path.join(out, "failed"))
    ok = parsed.where("l.status = 'ok'").select("l.*").cache()

    phases = {"extract": round(extracted, 3)}
    mark = [started + extracted]

    def phase(name):
        """Record the seconds since the last phase ended."""
        now = time.time()
        phases[name] = round(now - mark[0], 3)
        mark[0] = now

    phase("parse_and_failed")
    if counts.get("ok"):
        write_parquet(spark, os.path.join(out, "records"), out)
        phase("parquet")
        write_table(register(ok), out, "register", ["name_key", "group"],
                    hidden=("name_key", "group"))
        phase("register")
        write_table(deadlines(ok), out, "deadlines",
                    [F.col("hours").asc_nulls_last(), "agreement", "path", "pos"],
                    hidden=("pos",))
        phase("deadlines")
        first = ok.select("derived.review.items").first()
        item_ids = [i["id"] for i in first["items"]] if first else []
        write_table(review_matrix(ok, item_ids), out, "review", ["agreement", "path"])
        phase("review")

    seconds = time.time() - started
    n = len(paths)
    summary = {"inputs": n, "ok": counts.get("ok", 0), "failed": counts.get("failed", 0),
               "skipped": counts.get("skipped", 0),
               "interrupted": counts.get("interrupted", 0), "seconds": round(seconds, 3),
               "phase_seconds": phases,
               "docs_per_s": round(n / seconds, 3) if seconds else 0.0}
    if os.path.isdir(out):
        with open(os.path.join(out, "summary.json"), "w", encoding="utf-8") as f:
            json.dump(summary, f)
            f.write("\n")
    # Flushed before the session stops: spark-submit copies the Python process's stderr in a
    # thread that may not see the last line when it comes at exit.
    print(f"aftale-spark: {n} inputs, {summary['ok']} ok, {summary['failed']} failed, "
          f"{summary['skipped']} skipped, {seconds:.1f} s, {summary['docs_per_s']:.1f} docs/s",
          file=sys.stderr, flush=True)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
