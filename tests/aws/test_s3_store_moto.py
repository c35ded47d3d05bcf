"""S3Store against moto with signature checking on, as the IAM user holding the Terraform runtime policy.

Every call below is made by the C++ S3Store (through ridesweep_aws_harness); boto3, as an operator, checks what
actually landed in the bucket.
"""

from __future__ import annotations

import json

from conftest import RESULTS_PREFIX, harness_env, run_harness

P = f"{RESULTS_PREFIX}/it-s3"


def s3(harness, moto, ops, keys=None) -> dict:
    return run_harness(harness, ["s3", moto.bucket], json.dumps(ops), harness_env(moto, keys or moto.worker))


def test_put_get_head_roundtrip_with_binary_data_and_awkward_keys(harness_path, moto):
    data = bytes(range(256)) * 3 + b"\x00PAR1"
    keys = [f"{P}/dataset=trip_data/run_date=2026-02-14/run_id=r 1/part-0.parquet",
            f"{P}/unicode/ключ ሴ 😀/a+b&c=d~e!(x)*'.bin"]
    ops = []
    for key in keys:
        ops += [{"op": "put", "key": key, "data_hex": data.hex(), "content_type": "application/vnd.apache.parquet"},
                {"op": "get", "key": key}, {"op": "head", "key": key}]
    out = s3(harness_path, moto, ops)
    for result in out["results"]:
        assert result["code"] == "OK", result
    for i, key in enumerate(keys):
        assert bytes.fromhex(out["results"][3 * i + 1]["data_hex"]) == data
        assert out["results"][3 * i + 2] == {"op": "head", "code": "OK", "message": "", "exists": True,
                                             "size": len(data)}
        stored = moto.client("s3").get_object(Bucket=moto.bucket, Key=key)
        assert stored["Body"].read() == data
        assert stored["ContentType"] == "application/vnd.apache.parquet"


def test_absent_keys(harness_path, moto):
    key = f"{P}/runs/run_id=absent/manifest.json"
    out = s3(harness_path, moto, [{"op": "get", "key": key}, {"op": "head", "key": key}])["results"]
    assert out[0]["code"] == "NOT_FOUND" and key in out[0]["message"]
    assert out[1] == {"op": "head", "code": "OK", "message": "", "exists": False, "size": 0}


def test_put_if_absent_creates_once_then_conflicts(harness_path, moto):
    key = f"{P}/runs/run_id=once/manifest.json"
    out = s3(harness_path, moto, [{"op": "put_if_absent", "key": key, "data": "first"},
                                  {"op": "put_if_absent", "key": key, "data": "second"},
                                  {"op": "get", "key": key}])["results"]
    assert out[0]["code"] == "OK"
    assert out[1]["code"] == "CONFLICT" and "412" in out[1]["message"]
    assert bytes.fromhex(out[2]["data_hex"]) == b"first"
    body = moto.client("s3").get_object(Bucket=moto.bucket, Key=key)["Body"].read()
    assert body == b"first"


def test_list_paginates_past_a_thousand_keys(harness_path, moto):
    prefix = f"{P}/many/"
    out = s3(harness_path, moto, [{"op": "put_many", "prefix": prefix, "count": 1105, "threads": 4},
                                  {"op": "list", "prefix": prefix},
                                  {"op": "list", "prefix": f"{P}/many/00100"},
                                  {"op": "list", "prefix": f"{P}/no-such-prefix/"}])
    put_many, listed, narrow, empty = out["results"]
    assert put_many["code"] == "OK", put_many
    assert listed["code"] == "OK"
    expected = [f"{prefix}{i:06d}" for i in range(1105)]
    assert listed["keys"] == expected  # Two pages (1000 + 105), sorted.
    assert narrow["keys"] == sorted(k for k in expected if k.startswith(f"{P}/many/00100"))
    assert empty["keys"] == []
    assert out["requests_sent"] >= 1105 + 2 + 1 + 1  # 1105 puts, two pages for the full listing, two more lists.
    paginator = moto.client("s3").get_paginator("list_objects_v2")
    boto_keys = [o["Key"] for page in paginator.paginate(Bucket=moto.bucket, Prefix=prefix) for o in
                 page.get("Contents", [])]
    assert boto_keys == expected


def test_delete_of_failure_records_and_of_absent_keys(harness_path, moto):
    key = f"{P}/dataset=shard_outcomes/run_date=2026-02-14/run_id_partition=r/status_partition=failure/part-0.parquet"
    # The runtime policy allows deletes only under status_partition=failure (stale failure cleanup).
    key = key.replace(f"{P}/", f"{RESULTS_PREFIX}/")
    out = s3(harness_path, moto, [{"op": "put", "key": key, "data": "failure row"},
                                  {"op": "delete", "key": key},
                                  {"op": "head", "key": key},
                                  {"op": "delete", "key": key}])["results"]
    assert [r["code"] for r in out] == ["OK", "OK", "OK", "OK"], out
    assert out[2]["exists"] is False


def test_delete_many_batches_delete_objects_calls(harness_path, moto):
    # 1,005 keys take two DeleteObjects calls. moto authorises DeleteObjects against the bucket rather than per key
    # as AWS does, so this runs as the all-allowed operator (what is under test is the batching, not a policy).
    prefix = (f"{RESULTS_PREFIX}/dataset=shard_outcomes/run_date=2026-02-14/run_id_partition=batch/"
              "status_partition=failure/")
    keys = [f"{prefix}{i:06d}" for i in range(1005)]
    put = s3(harness_path, moto, [{"op": "put_many", "prefix": prefix, "count": 1005, "threads": 4}], moto.operator)
    assert put["results"][0]["code"] == "OK", put
    awkward = f"{prefix}a&b <c>.parquet"
    out = s3(harness_path, moto, [{"op": "put", "key": awkward, "data": "x"},
                                  {"op": "delete_many", "keys": [*keys, awkward, f"{prefix}never-written"]},
                                  {"op": "list", "prefix": prefix}], moto.operator)
    put_awkward, deleted, listed = out["results"]
    assert put_awkward["code"] == "OK" and deleted["code"] == "OK", out["results"]
    assert listed["keys"] == []
    assert out["requests_sent"] == 1 + 2 + 1  # one put, two DeleteObjects calls (1,000 + 7 keys), one list
