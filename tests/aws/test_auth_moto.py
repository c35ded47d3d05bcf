"""moto verifies every signature and authorises every action against IAM: what the aws layer must get right.

A wrong secret or an unknown key is rejected (403 → FAILED_PRECONDITION, never retried); temporary credentials
are signed with their session token; the runtime policy of iam.tf is least-privilege (writes outside the results
prefix and deletes of success objects are denied).
"""

from __future__ import annotations

import json

from conftest import RESULTS_PREFIX, Keys, harness_env, run_harness

KEY = f"{RESULTS_PREFIX}/it-auth/object.txt"


def s3(harness, moto, ops, keys, extra_env=None) -> list[dict]:
    env = harness_env(moto, keys)
    env.update(extra_env or {})
    return run_harness(harness, ["s3", moto.bucket], json.dumps(ops), env)["results"]


def test_wrong_secret_is_rejected_by_signature_check(harness_path, moto):
    secret = moto.worker.secret_access_key
    # Change the last character to one it is not (moto's generated secrets may end in any letter).
    wrong = Keys(moto.worker.access_key_id, secret[:-1] + ("X" if secret[-1] != "X" else "Y"))
    assert wrong.secret_access_key != secret
    put, get = s3(harness_path, moto, [{"op": "put", "key": KEY, "data": "x"}, {"op": "get", "key": KEY}], wrong)
    assert put["code"] == "FAILED_PRECONDITION" and "403 SignatureDoesNotMatch" in put["message"], put
    assert get["code"] == "FAILED_PRECONDITION", get
    report = run_harness(harness_path, ["sqs", moto.queue_url],
                         json.dumps({"messages": [{"shard_id": 0, "body": "{}"}]}), harness_env(moto, wrong))
    assert report["failed"] == [0]
    assert "403 SignatureDoesNotMatch" in report["first_error"], report
    assert report["send_calls"] == 1  # Permission errors are final: no retry.
    # Nothing was written.
    listed = moto.client("s3").list_objects_v2(Bucket=moto.bucket, Prefix=KEY)
    assert listed.get("KeyCount", 0) == 0


def test_unknown_access_key_is_rejected(harness_path, moto):
    unknown = Keys("AKIAUNKNOWNEXAMPLE00", "secret")
    (put,) = s3(harness_path, moto, [{"op": "put", "key": KEY, "data": "x"}], unknown)
    assert put["code"] == "FAILED_PRECONDITION" and "403" in put["message"], put


def test_runtime_policy_is_least_privilege(harness_path, moto):
    success_key = f"{RESULTS_PREFIX}/dataset=shard_outcomes/run_date=2026-02-14/run_id_partition=r/" \
                  "status_partition=success/part-0.parquet"
    outside_key = "not-results/object.txt"
    results = s3(harness_path, moto, [{"op": "put", "key": success_key, "data": "success row"},
                                      {"op": "delete", "key": success_key},
                                      {"op": "put", "key": outside_key, "data": "x"},
                                      {"op": "get", "key": outside_key}], moto.worker)
    assert results[0]["code"] == "OK"
    assert results[1]["code"] == "FAILED_PRECONDITION" and "AccessDenied" in results[1]["message"], results[1]
    assert results[2]["code"] == "FAILED_PRECONDITION" and "AccessDenied" in results[2]["message"], results[2]
    assert results[3]["code"] == "FAILED_PRECONDITION"
    # The denied delete really left the success object in place.
    assert moto.client("s3").get_object(Bucket=moto.bucket, Key=success_key)["Body"].read() == b"success row"


def test_temporary_credentials_are_signed_with_their_session_token(harness_path, moto):
    iam = moto.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"AWS": "arn:aws:iam::123456789012:user/operator"}}]}
    role_arn = iam.create_role(RoleName="it-temporary", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName="it-temporary", PolicyName="results", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
                                                "Resource": f"arn:aws:s3:::{moto.bucket}/{RESULTS_PREFIX}/*"}]}))
    credentials = moto.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="it")["Credentials"]
    temporary = Keys(credentials["AccessKeyId"], credentials["SecretAccessKey"])
    key = f"{RESULTS_PREFIX}/it-auth/temporary.txt"
    ok = s3(harness_path, moto, [{"op": "put", "key": key, "data": "via STS"}, {"op": "get", "key": key}], temporary,
            {"AWS_SESSION_TOKEN": credentials["SessionToken"]})
    assert [r["code"] for r in ok] == ["OK", "OK"], ok
    assert bytes.fromhex(ok[1]["data_hex"]) == b"via STS"
    (wrong_token,) = s3(harness_path, moto, [{"op": "get", "key": key}], temporary,
                        {"AWS_SESSION_TOKEN": credentials["SessionToken"][:-4] + "AAAA"})
    assert wrong_token["code"] == "FAILED_PRECONDITION", wrong_token
