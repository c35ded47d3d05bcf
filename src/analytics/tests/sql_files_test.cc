// SQL files (spec/sweep.md §11.1–§11.2): placeholder validation and substitution with the exact messages,
// statement splitting, plan parsing with the exact plan errors, SQL directory and query file resolution.
#include "ridesweep/analytics/sql_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "ridesweep/analytics/errors.h"
#include "tests/results_fixture.h"
#include "tests/temp_dir.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;
using testing::RepoSqlDir;
using testing::TempDir;

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

PlaceholderValues AllValues() {
  PlaceholderValues values;
  values.database = "ride_sim_analytics";
  values.results_location = "s3://bucket/prefix";
  values.run_id = "run-1";
  values.expected_shards = 12;
  return values;
}

TEST(SqlPlaceholdersTest, ReplacesEveryKnownToken) {
  Result<std::string> out = SubstitutePlaceholders(
      "SELECT * FROM ${database}.t WHERE r = '${run_id}' AND n < ${expected_shards} -- ${database}\n"
      "LOCATION '${results_location}/dataset=x/'",
      AllValues(), "f.sql");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out,
            "SELECT * FROM ride_sim_analytics.t WHERE r = 'run-1' AND n < 12 -- ride_sim_analytics\n"
            "LOCATION 's3://bucket/prefix/dataset=x/'");
}

TEST(SqlPlaceholdersTest, ReplaceSqlFragmentReplacesTheFirstOccurrenceOnly) {
  std::string sql = "SELECT ${x} FROM t ${limit} -- ${limit}";
  ReplaceSqlFragment(sql, "${limit}", "LIMIT 3");
  EXPECT_EQ(sql, "SELECT ${x} FROM t LIMIT 3 -- ${limit}");
  ReplaceSqlFragment(sql, "${x}", "");
  EXPECT_EQ(sql, "SELECT  FROM t LIMIT 3 -- ${limit}");
  EXPECT_DEATH(ReplaceSqlFragment(sql, "${absent}", "1"), "no \\$\\{absent\\} in the SQL text");
}

TEST(SqlPlaceholdersTest, UnknownTokenNamesTokenAndFile) {
  Result<std::string> out = SubstitutePlaceholders("SELECT ${databse} FROM x", AllValues(), "query_x.sql");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status().message(), "Unknown placeholder ${databse} in query_x.sql");
}

TEST(SqlPlaceholdersTest, TokenWithoutValueNamesTokenAndFile) {
  PlaceholderValues values = AllValues();
  values.expected_shards.reset();
  Result<std::string> out = SubstitutePlaceholders("WHERE s < ${expected_shards}", values, "query_missing_shards.sql");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "Missing value for ${expected_shards} in query_missing_shards.sql");
}

TEST(SqlPlaceholdersTest, FirstProblemInFileOrderWins) {
  PlaceholderValues values = AllValues();
  values.run_id.reset();
  EXPECT_EQ(SubstitutePlaceholders("${run_id} ${nope}", values, "a.sql").status().message(),
            "Missing value for ${run_id} in a.sql");
  EXPECT_EQ(SubstitutePlaceholders("${nope} ${run_id}", values, "a.sql").status().message(),
            "Unknown placeholder ${nope} in a.sql");
  EXPECT_EQ(SubstitutePlaceholders("${}", values, "a.sql").status().message(), "Unknown placeholder ${} in a.sql");
}

TEST(SqlPlaceholdersTest, ValuesAreValidatedBeforeSubstitution) {
  struct Case {
    const char* label;
    PlaceholderValues values;
    const char* message;
  };
  auto with = [](auto mutate) {
    PlaceholderValues values = AllValues();
    mutate(values);
    return values;
  };
  const Case cases[] = {
      {"upper-case database", with([](PlaceholderValues& v) { v.database = "Ride"; }),
       "Invalid value for ${database}: Ride"},
      {"database with dash", with([](PlaceholderValues& v) { v.database = "a-b"; }),
       "Invalid value for ${database}: a-b"},
      {"empty database", with([](PlaceholderValues& v) { v.database = ""; }), "Invalid value for ${database}: "},
      {"256-char database", with([](PlaceholderValues& v) { v.database = std::string(256, 'a'); }),
       nullptr},
      {"quote in run_id", with([](PlaceholderValues& v) { v.run_id = "x' OR '1'='1"; }),
       "Invalid value for ${run_id}: x' OR '1'='1"},
      {"slash in run_id", with([](PlaceholderValues& v) { v.run_id = "a/b"; }), "Invalid value for ${run_id}: a/b"},
      {"129-char run_id", with([](PlaceholderValues& v) { v.run_id = std::string(129, 'r'); }), nullptr},
      {"zero shards", with([](PlaceholderValues& v) { v.expected_shards = 0; }),
       "Invalid value for ${expected_shards}: 0"},
      {"trailing slash location", with([](PlaceholderValues& v) { v.results_location = "s3://b/p/"; }),
       "Invalid value for ${results_location}: s3://b/p/"},
  };
  for (const Case& c : cases) {
    Result<std::string> out = SubstitutePlaceholders("${database}", c.values, "a.sql");
    ASSERT_FALSE(out.ok()) << c.label;
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument) << c.label;
    if (c.message != nullptr) {
      EXPECT_EQ(out.status().message(), c.message) << c.label;
    }
  }
  // The limits themselves are accepted.
  PlaceholderValues limits = AllValues();
  limits.database = std::string(255, 'z');
  limits.run_id = std::string(128, 'R');
  limits.expected_shards = 1;
  EXPECT_TRUE(SubstitutePlaceholders("${database} ${run_id} ${expected_shards}", limits, "a.sql").ok());
}

TEST(SqlPlaceholdersTest, SubstitutionIsOnePassAndQuotesLocation) {
  PlaceholderValues values = AllValues();
  values.results_location = "/data/it's ${database}";
  Result<std::string> out = SubstitutePlaceholders("'${results_location}/x' ${database}", values, "v.sql");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // The value's `${database}` stays text; the quote is doubled inside the SQL string literal.
  EXPECT_EQ(*out, "'/data/it''s ${database}/x' ride_sim_analytics");
}

TEST(SqlPlaceholdersTest, UnclosedTokenIsPlainText) {
  EXPECT_EQ(SubstitutePlaceholders("a ${database", AllValues(), "a.sql").value(), "a ${database");
  EXPECT_EQ(PlaceholderTokens("${a} x ${b} ${a}"), (std::vector<std::string>{"a", "b", "a"}));
}

TEST(SqlStatementsTest, SplitsOnLinesEndingInSemicolon) {
  const std::string text =
      "-- header comment\n"
      "\n"
      "CREATE SCHEMA IF NOT EXISTS s;\n"
      "-- between\n"
      "CREATE VIEW v AS\n"
      "SELECT 1 -- inside keeps\n"
      "FROM t ;  \r\n"
      "-- trailing comment\n";
  Result<std::vector<std::string>> statements = SplitSqlStatements(text, "views.sql");
  ASSERT_TRUE(statements.ok()) << statements.status().ToString();
  EXPECT_EQ(*statements, (std::vector<std::string>{"CREATE SCHEMA IF NOT EXISTS s;",
                                                   "CREATE VIEW v AS\nSELECT 1 -- inside keeps\nFROM t ;  "}));
}

TEST(SqlStatementsTest, TrailingTextIsAnError) {
  Result<std::vector<std::string>> statements = SplitSqlStatements("SELECT 1;\nSELECT 2\n-- c\n", "q.sql");
  ASSERT_FALSE(statements.ok());
  EXPECT_EQ(statements.status().message(), "Trailing text after the last statement in q.sql");
}

TEST(SqlStatementsTest, PrepareSingleStatementStripsFinalSemicolon) {
  Result<std::string> one = PrepareSingleStatement("-- c\nSELECT '${run_id}'\n  ;\n", AllValues(), "q.sql");
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(*one, "SELECT 'run-1'");
  EXPECT_EQ(PrepareSingleStatement("SELECT 3 -- no semicolon\n", AllValues(), "q.sql").value(),
            "SELECT 3 -- no semicolon");
  EXPECT_EQ(PrepareSingleStatement("SELECT 1;\nSELECT 2\n", AllValues(), "q.sql").status().message(),
            "Expected exactly one SQL statement in q.sql, found 2");
  EXPECT_EQ(PrepareSingleStatement("-- only a comment\n", AllValues(), "q.sql").status().message(),
            "Expected exactly one SQL statement in q.sql, found 0");
  Result<std::string> two = PrepareSingleStatement("SELECT 1;\nSELECT 2;\n", AllValues(), "q.sql");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message(), "Expected exactly one SQL statement in q.sql, found 2");
}

TEST(SqlStatementsTest, PrepareStatementsKeepsEveryStatementInOrder) {
  Result<std::vector<std::string>> two =
      PrepareStatements("-- c\nCREATE VIEW v AS SELECT '${run_id}';\nSELECT 2 -- last, no semicolon\n", AllValues(),
                        "q.sql");
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0], "CREATE VIEW v AS SELECT 'run-1'");
  EXPECT_EQ((*two)[1], "SELECT 2 -- last, no semicolon");
  EXPECT_EQ(PrepareStatements("-- only a comment\n", AllValues(), "q.sql").status().message(),
            "No SQL statement in q.sql");
}

TEST(SqlStatementsTest, EveryRepositoryQueryFileIsOneStatementWithKnownPlaceholders) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(RepoSqlDir())) {
    if (entry.path().extension() != ".sql") continue;
    ++files;
    Result<std::string> statement = LoadSingleStatement(entry.path(), AllValues());
    EXPECT_TRUE(statement.ok()) << entry.path() << ": " << statement.status().ToString();
    if (statement.ok()) {
      EXPECT_EQ(statement->find("${"), std::string::npos) << entry.path();
    }
  }
  // database, 6 creates, 4 raw per_shard creates and their 4 views, 10 repairs, 7 queries, the configuration summary
  EXPECT_EQ(files, 33);
}

TEST(SqlPlanTest, RepositoryPlansListTheSpecFilesInOrder) {
  const fs::path dir = RepoSqlDir();
  Result<std::vector<fs::path>> bootstrap = LoadPlan(dir / std::string(kBootstrapPlan));
  Result<std::vector<fs::path>> partitions = LoadPlan(dir / std::string(kPartitionsPlan));
  Result<std::vector<fs::path>> tables = LoadPlan(dir / std::string(kTablesPlan));
  ASSERT_TRUE(bootstrap.ok() && partitions.ok() && tables.ok());
  // bootstrap: database, 6 tables, 4 raw per_shard tables, 4 views (15 = the tables plan), then the 10 repairs
  // (the partitions plan).
  ASSERT_EQ(bootstrap->size(), 25u);
  ASSERT_EQ(partitions->size(), 10u);
  ASSERT_EQ(tables->size(), 15u);
  EXPECT_EQ((*bootstrap)[0], dir / "create_database.sql");
  EXPECT_EQ((*bootstrap)[1], dir / "create_table.sql");
  EXPECT_EQ((*bootstrap)[7], dir / "create_table_effective_parameters_per_shard.sql");
  EXPECT_EQ((*bootstrap)[11], dir / "create_view_effective_parameters_per_shard.sql");
  EXPECT_EQ((*bootstrap)[15], dir / "repair_table.sql");
  EXPECT_EQ((*bootstrap)[24], dir / "repair_table_snapshot_counts_per_shard.sql");
  for (size_t i = 0; i < 15; ++i) EXPECT_EQ((*tables)[i], (*bootstrap)[i]);
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ((*partitions)[i], (*bootstrap)[15 + i]);
}

TEST(SqlPlanTest, ResolvesRelativeAndAbsoluteEntriesSkippingCommentsAndBlanks) {
  TempDir dir;
  WriteFile(dir.path() / "sql" / "a.sql", "SELECT 1;\n");
  WriteFile(dir.path() / "sql" / "sub" / "b.sql", "SELECT 2;\n");
  WriteFile(dir.path() / "elsewhere" / "c.sql", "SELECT 3;\n");
  const fs::path absolute = dir.path() / "elsewhere" / "c.sql";
  WriteFile(dir.path() / "sql" / "my.plan",
            "# comment\n\n  sub/b.sql  \n   # indented comment\n" + absolute.string() + "\na.sql\n\n");
  Result<std::vector<fs::path>> plan = LoadPlan(dir.path() / "sql" / "my.plan");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(*plan, (std::vector<fs::path>{dir.path() / "sql" / "sub/b.sql", absolute, dir.path() / "sql" / "a.sql"}));
}

TEST(SqlPlanTest, ErrorsHaveTheSpecTexts) {
  TempDir dir;
  const fs::path base = dir.path();
  WriteFile(base / "a.sql", "SELECT 1;\n");
  WriteFile(base / "not_sql.plan", "a.sql\nnotes.txt\n");
  WriteFile(base / "missing.plan", "a.sql\nnope.sql\n");
  WriteFile(base / "empty.plan", "# only comments\n\n   \n");
  struct Case {
    fs::path plan;
    std::string message;
  } const cases[] = {
      {base / "absent.plan", "Plan file not found: " + (base / "absent.plan").string()},
      {base / "not_sql.plan", "Plan entries must point to .sql files, got: notes.txt"},
      {base / "missing.plan", "SQL file in plan does not exist: " + (base / "nope.sql").string()},
      {base / "empty.plan", "Plan file contains no SQL entries"},
  };
  for (const Case& c : cases) {
    Result<std::vector<fs::path>> plan = LoadPlan(c.plan);
    ASSERT_FALSE(plan.ok()) << c.plan;
    EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(plan.status().message(), c.message);
  }
  EXPECT_EQ(errors::kPlanErrorPrefix, "Plan error: ");
}

TEST(SqlDirTest, ExplicitThenEnvironmentThenWorkingDirectoryThenCompiledIn) {
  TempDir dir;
  const fs::path a = dir.path() / "a", b = dir.path() / "b", c = dir.path() / "c", d = dir.path() / "d";
  for (const fs::path& p : {a, b, c, d}) fs::create_directories(p);
  SqlDirCandidates candidates;
  candidates.explicit_dir = a;
  candidates.env_dir = b;
  candidates.working_dir_default = c;
  candidates.compiled_in_dir = d;
  EXPECT_EQ(ResolveSqlDir(candidates).value(), a);
  candidates.explicit_dir.reset();
  EXPECT_EQ(ResolveSqlDir(candidates).value(), b);
  candidates.env_dir.reset();
  EXPECT_EQ(ResolveSqlDir(candidates).value(), c);
  candidates.working_dir_default = dir.path() / "absent";
  EXPECT_EQ(ResolveSqlDir(candidates).value(), d);
  candidates.compiled_in_dir.reset();
  Result<fs::path> none = ResolveSqlDir(candidates);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "SQL directory not found: " + (dir.path() / "absent").string());
  // A chosen explicit directory that does not exist is an error, never silently replaced.
  candidates.explicit_dir = dir.path() / "typo";
  candidates.working_dir_default = c;
  EXPECT_EQ(ResolveSqlDir(candidates).status().message(), "SQL directory not found: " + (dir.path() / "typo").string());
}

TEST(SqlDirTest, EnvironmentVariableIsRead) {
  TempDir dir;
  ASSERT_EQ(::setenv("RIDESWEEP_SQL_DIR", dir.path().c_str(), 1), 0);
  const SqlDirCandidates from_env = SqlDirCandidatesFromEnvironment(std::nullopt, fs::path("/compiled"));
  ::unsetenv("RIDESWEEP_SQL_DIR");
  ASSERT_TRUE(from_env.env_dir.has_value());
  EXPECT_EQ(*from_env.env_dir, dir.path());
  EXPECT_EQ(from_env.compiled_in_dir, fs::path("/compiled"));
  EXPECT_EQ(from_env.working_dir_default, fs::path("infra/aws_serverless_sweep/athena"));
  EXPECT_FALSE(SqlDirCandidatesFromEnvironment().env_dir.has_value());
}

TEST(SqlDirTest, QueryFilesResolveByNameOrPath) {
  const fs::path dir = RepoSqlDir();
  EXPECT_EQ(ResolveQueryFile(dir, "query_run_level_profile").value(), dir / "query_run_level_profile.sql");
  EXPECT_EQ(ResolveQueryFile(dir, "query_run_level_profile.sql").value(), dir / "query_run_level_profile.sql");
  const fs::path absolute = dir / "query_shard_coverage.sql";
  EXPECT_EQ(ResolveQueryFile("/nowhere", absolute.string()).value(), absolute);
  Result<fs::path> missing = ResolveQueryFile(dir, "query_nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "Query file not found: query_nope (looked in " + dir.string() + ")");
  EXPECT_FALSE(ResolveQueryFile(dir, "sub/query_run_level_profile").ok());
}

TEST(SqlDirTest, LoadSqlFileReportsMissingFiles) {
  Result<std::string> missing = LoadSqlFile("/nowhere/x.sql");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "SQL file not found: /nowhere/x.sql");
}

}  // namespace
}  // namespace ridesweep::analytics
