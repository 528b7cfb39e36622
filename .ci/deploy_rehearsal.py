"""Deploy rehearsal: create the synthesized stacks of a CDK cloud assembly in moto's CloudFormation.

Usage: python3 .ci/deploy_rehearsal.py <cloud assembly dir>   (run by .ci/deploy-rehearsal)

What it does, all on loopback, with no AWS account:
1. starts moto's server on a free 127.0.0.1 port (in this process, so nothing outlives it);
2. plays `cdk bootstrap`'s part: the SSM bootstrap version parameter and the assets bucket, and
   uploads every file asset of the assembly (directories zipped, as the CDK CLI publishes them);
3. creates the stacks through CloudFormation's API in dependency order (manifest.json), with the
   resource types moto's CloudFormation does not implement left out. The list is computed from moto's
   own type map, never written down here, and printed. A reference (Ref, GetAtt, ${...} in Sub,
   DependsOn) to a left-out resource becomes a marked placeholder value, so that what stays keeps
   its shape;
4. checks:
   - every stack reaches CREATE_COMPLETE;
   - every Fn::ImportValue names an export of a stack created before it, and resolves in moto to
     that export's value (read back through an output added to the importing stack for the
     purpose); every export is imported by some stack (CDK exports only what another stack uses);
   - every Lambda function's code is an asset of the assembly, that object is in the bucket, and the
     created function's CodeSha256 is the SHA-256 of the uploaded zip.

It prints the time of each step. Exit status 0 when every check holds, 1 otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import os
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

import boto3
from moto.cloudformation.parsing import get_model_map
from moto.core import DEFAULT_ACCOUNT_ID
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
ACCOUNT = DEFAULT_ACCOUNT_ID
# Placeholders for values of left-out resources start with this, so a check can tell them apart.
OMITTED = "omitted-by-rehearsal"
# The type CDK adds to every stack for its own telemetry: not part of the app.
CDK_METADATA = "AWS::CDK::Metadata"
TERMINAL = ("CREATE_COMPLETE", "CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED")

Json = Any


def main(assembly: str) -> int:
    started = time.monotonic()
    stacks = stacks_in_dependency_order(assembly)
    templates = {s["name"]: load_json(assembly, s["template"]) for s in stacks}
    supported = set(get_model_map())
    left_out = sorted({r["Type"] for t in templates.values() for r in t["Resources"].values()} - supported)
    print(f"stacks, in dependency order: {', '.join(templates)}")
    print(f"resource types left out (moto's CloudFormation lacks them): {', '.join(left_out) or 'none'}")

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        clients = Clients(f"http://{host}:{port}")
        failures: list[str] = []
        uploaded = timed("bootstrap and asset upload", lambda: bootstrap(clients, assembly, stacks))
        import_outputs: dict[str, dict[str, str]] = {}
        for stack in stacks:
            name = stack["name"]
            prepared, outputs = prepare(templates[name], supported)
            import_outputs[name] = outputs
            failures += timed(f"create {name}", lambda: create_stack(clients, name, prepared))
        failures += check_exports_and_imports(clients, templates, import_outputs, [s["name"] for s in stacks])
        failures += check_code_assets(clients, templates, uploaded)
    finally:
        server.stop()

    print(f"deploy rehearsal: {time.monotonic() - started:.1f} s in all")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    if failures:
        return 1
    print("deploy rehearsal: every stack created, every import resolved, every code asset in place")
    return 0


class Clients:
    def __init__(self, endpoint: str) -> None:
        def client(service: str) -> Any:
            return boto3.client(
                service,
                endpoint_url=endpoint,
                region_name=REGION,
                aws_access_key_id="rehearsal",
                aws_secret_access_key="rehearsal",
            )

        self.cloudformation = client("cloudformation")
        self.s3 = client("s3")
        self.ssm = client("ssm")
        self.lambda_ = client("lambda")


def stacks_in_dependency_order(assembly: str) -> list[dict[str, Any]]:
    """The stacks of manifest.json, each after the stacks it depends on, with its asset manifests."""
    artifacts: dict[str, Any] = load_json(assembly, "manifest.json")["artifacts"]
    stacks = {k: a for k, a in artifacts.items() if a["type"] == "aws:cloudformation:stack"}
    ordered: list[dict[str, Any]] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if any(s["name"] == name for s in ordered):
            return
        if name in visiting:
            raise SystemExit(f"stack dependency cycle at {name}")
        visiting.add(name)
        deps = stacks[name].get("dependencies", [])
        for dep in deps:
            if dep in stacks:
                visit(dep)
        ordered.append(
            {
                "name": name,
                "template": stacks[name]["properties"]["templateFile"],
                "bootstrapVersion": stacks[name]["properties"].get("requiresBootstrapStackVersion", 6),
                "assetManifests": [artifacts[d]["properties"]["file"] for d in deps if artifacts.get(d, {}).get("type") == "cdk:asset-manifest"],
            }
        )
        visiting.discard(name)

    for name in stacks:
        visit(name)
    return ordered


def bootstrap(clients: Clients, assembly: str, stacks: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """What `cdk bootstrap` and the CLI's asset publishing would do. Returns (bucket, key) -> CodeSha256."""
    version = max(int(s["bootstrapVersion"]) for s in stacks)
    clients.ssm.put_parameter(Name="/cdk-bootstrap/hnb659fds/version", Value=str(version), Type="String")
    uploaded: dict[tuple[str, str], str] = {}
    buckets: set[str] = set()
    for stack in stacks:
        for manifest_file in stack["assetManifests"]:
            manifest = load_json(assembly, manifest_file)
            for asset in manifest.get("files", {}).values():
                if asset["source"]["path"].endswith(".template.json"):
                    continue  # the templates themselves: they go through the CloudFormation API here
                body = asset_bytes(os.path.join(assembly, asset["source"]["path"]), asset["source"].get("packaging", "file"))
                for destination in asset["destinations"].values():
                    bucket = placeholders(destination["bucketName"])
                    key = placeholders(destination["objectKey"])
                    if bucket not in buckets:
                        clients.s3.create_bucket(Bucket=bucket)
                        buckets.add(bucket)
                    clients.s3.put_object(Bucket=bucket, Key=key, Body=body)
                    uploaded[(bucket, key)] = base64.b64encode(hashlib.sha256(body).digest()).decode()
            if manifest.get("dockerImages"):
                raise SystemExit(f"{manifest_file}: docker image assets are not rehearsed")
    print(f"  {len(uploaded)} assets uploaded to {', '.join(sorted(buckets))}")
    return uploaded


def asset_bytes(path: str, packaging: str) -> bytes:
    """The bytes the CDK CLI would publish: a directory zipped (sorted, fixed dates), a file as it is."""
    if packaging == "file":
        with open(path, "rb") as f:
            return f.read()
    if packaging != "zip":
        raise SystemExit(f"{path}: asset packaging {packaging} is not rehearsed")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for file in sorted(files):
                full = os.path.join(root, file)
                info = zipfile.ZipInfo(os.path.relpath(full, path), date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                with open(full, "rb") as f:
                    archive.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def placeholders(text: str) -> str:
    return text.replace("${AWS::AccountId}", ACCOUNT).replace("${AWS::Region}", REGION).replace("${AWS::Partition}", "aws")


def prepare(template: Json, supported: set[str]) -> tuple[Json, dict[str, str]]:
    """The template without the left-out resources, and with one output per import to read it back."""
    resources = template["Resources"]
    omitted = {logical: r["Type"] for logical, r in resources.items() if r["Type"] not in supported}
    kept = {logical: r for logical, r in resources.items() if logical not in omitted}
    prepared = replace_references({**template, "Resources": kept}, omitted)
    prepared = adapt_to_moto(prepared)
    for resource in kept.values():
        depends = resource.get("DependsOn")
        if isinstance(depends, str):
            depends = [depends]
        if depends is not None:
            resource["DependsOn"] = [d for d in depends if d not in omitted]
            if not resource["DependsOn"]:
                del resource["DependsOn"]
    imports = sorted(set(import_names(template)))
    outputs = {f"RehearsalImport{i}": name for i, name in enumerate(imports)}
    prepared["Outputs"] = {**prepared.get("Outputs", {}), **{key: {"Value": {"Fn::ImportValue": name}} for key, name in outputs.items()}}
    return prepared, outputs


def adapt_to_moto(template: Json) -> Json:
    """Where moto 5.2 reads a valid template wrongly, say the same thing in a way it reads right.

    Each adaptation keeps what AWS would do; none hides a fault of the template:
    - `Ref` to an AWS::Events::EventBus yields, in AWS, its name. moto's bus model has no physical id,
      so its Ref yields the model object (and a rule on that bus fails): write the name itself.
    - AWS::Events::Archive `EventPattern` is a JSON object in CloudFormation; moto's archive parses it
      as a string: give it the string.
    - AWS::KMS::Key `Tags` are {Key, Value} in CloudFormation; moto tags keys with the KMS API's
      {TagKey, TagValue}: rename.
    """
    resources = template["Resources"]
    bus_names = {logical: r["Properties"]["Name"] for logical, r in resources.items() if r["Type"] == "AWS::Events::EventBus" and isinstance(r.get("Properties", {}).get("Name"), str)}
    template = substitute(template, lambda node: bus_names.get(node["Ref"]) if set(node) == {"Ref"} else None)
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::Events::Archive" and isinstance(properties.get("EventPattern"), dict):
            properties["EventPattern"] = json.dumps(properties["EventPattern"])
        if resource["Type"] == "AWS::KMS::Key" and "Tags" in properties:
            properties["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in properties["Tags"]]
    return template


def substitute(node: Json, replacement: Callable[[dict[str, Json]], Json | None]) -> Json:
    """The node with every object for which `replacement` gives a value replaced by that value."""
    if isinstance(node, list):
        return [substitute(n, replacement) for n in node]
    if not isinstance(node, dict):
        return node
    value = replacement(node)
    if value is not None:
        return value
    return {k: substitute(v, replacement) for k, v in node.items()}


def placeholder(logical: str, resource_type: str, attribute: str | None) -> str:
    if attribute and attribute.endswith("Arn"):
        # ARN-shaped, so that IAM policies naming it still validate.
        return f"arn:aws:{OMITTED}:{REGION}:{ACCOUNT}:{logical}"
    return f"{OMITTED}-{logical}" + (f"-{attribute}" if attribute else "")


def replace_references(node: Json, omitted: dict[str, str]) -> Json:
    if isinstance(node, list):
        return [replace_references(n, omitted) for n in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (key, value), = node.items()
        if key == "Ref" and value in omitted:
            return placeholder(value, omitted[value], None)
        if key == "Fn::GetAtt":
            logical, attribute = value if isinstance(value, list) else value.split(".", 1)
            if logical in omitted:
                return placeholder(logical, omitted[logical], attribute)
        if key == "Fn::Sub":
            text, variables = (value, {}) if isinstance(value, str) else value
            for logical, resource_type in omitted.items():
                text = text.replace("${" + logical + "}", placeholder(logical, resource_type, None))
                for start in [i for i in range(len(text)) if text.startswith("${" + logical + ".", i)]:
                    end = text.index("}", start)
                    attribute = text[start + len(logical) + 3 : end]
                    text = text.replace(text[start : end + 1], placeholder(logical, resource_type, attribute), 1)
            variables = replace_references(variables, omitted)
            return {"Fn::Sub": [text, variables] if variables else text}
    return {k: replace_references(v, omitted) for k, v in node.items()}


def import_names(node: Json) -> list[str]:
    if isinstance(node, list):
        return [n for item in node for n in import_names(item)]
    if not isinstance(node, dict):
        return []
    if "Fn::ImportValue" in node:
        name = node["Fn::ImportValue"]
        if not isinstance(name, str):
            raise SystemExit(f"an Fn::ImportValue with a computed name is not rehearsed: {name}")
        return [name]
    return [n for value in node.values() for n in import_names(value)]


def create_stack(clients: Clients, name: str, template: Json) -> list[str]:
    cfn = clients.cloudformation
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            cfn.create_stack(
                StackName=name,
                TemplateBody=json.dumps(template),
                Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
            )
        except Exception as error:  # noqa: BLE001 - any refusal is the finding, reported with its text
            return [f"{name}: create_stack refused: {error}"]
    deadline = time.monotonic() + 120
    while True:
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        if stack["StackStatus"] in TERMINAL or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    status = stack["StackStatus"]
    created = len(cfn.list_stack_resources(StackName=name)["StackResourceSummaries"])
    print(f"  {name}: {status}, {created} of {len(template['Resources'])} kept resources")
    if status == "CREATE_COMPLETE":
        return []
    reasons = [
        f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}"
        for e in cfn.describe_stack_events(StackName=name)["StackEvents"]
        if e["ResourceStatus"].endswith("FAILED")
    ]
    return [f"{name}: {status} ({'; '.join(reasons) or 'no reason given'})"]


def check_exports_and_imports(clients: Clients, templates: dict[str, Json], import_outputs: dict[str, dict[str, str]], order: list[str]) -> list[str]:
    failures: list[str] = []
    exports = {}
    for page in clients.cloudformation.get_paginator("list_exports").paginate():
        for export in page["Exports"]:
            exports[export["Name"]] = export
    stack_of = {clients.cloudformation.describe_stacks(StackName=name)["Stacks"][0]["StackId"]: name for name in order}
    imported: set[str] = set()
    for name, outputs in import_outputs.items():
        resolved = {o["OutputKey"]: o.get("OutputValue") for o in clients.cloudformation.describe_stacks(StackName=name)["Stacks"][0].get("Outputs", [])}
        for key, export_name in outputs.items():
            imported.add(export_name)
            export = exports.get(export_name)
            if export is None:
                failures.append(f"{name} imports {export_name}, which no stack exports")
                continue
            exporter = stack_of.get(export["ExportingStackId"], export["ExportingStackId"])
            if exporter not in order or order.index(exporter) >= order.index(name):
                failures.append(f"{name} imports {export_name} from {exporter}, which is not created before it")
            if resolved.get(key) != export["Value"]:
                failures.append(f"{name} imports {export_name}: resolved to {resolved.get(key)!r}, exported as {export['Value']!r}")
    unused = sorted(set(exports) - imported)
    for export_name in unused:
        failures.append(f"{export_name} is exported by {stack_of.get(exports[export_name]['ExportingStackId'])} but imported by no stack")
    from_omitted = sorted(n for n in imported if n in exports and OMITTED in exports[n]["Value"])
    print(f"  {len(exports)} exports, {sum(len(o) for o in import_outputs.values())} imports, each resolved to its export"
          f" ({len(from_omitted)} carry a placeholder of a left-out resource)")
    return failures


def check_code_assets(clients: Clients, templates: dict[str, Json], uploaded: dict[tuple[str, str], str]) -> list[str]:
    failures: list[str] = []
    checked = 0
    for name, template in templates.items():
        physical = {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for page in clients.cloudformation.get_paginator("list_stack_resources").paginate(StackName=name)
            for r in page["StackResourceSummaries"]
        }
        for logical, resource in template["Resources"].items():
            if resource["Type"] != "AWS::Lambda::Function":
                continue
            checked += 1
            code = resource["Properties"].get("Code", {})
            bucket, key = resolve_static(code.get("S3Bucket")), resolve_static(code.get("S3Key"))
            if bucket is None or key is None:
                failures.append(f"{name}/{logical}: code is not an S3 asset ({json.dumps(code)[:120]})")
                continue
            if (bucket, key) not in uploaded:
                failures.append(f"{name}/{logical}: code s3://{bucket}/{key} is not an asset of the assembly")
                continue
            try:
                clients.s3.head_object(Bucket=bucket, Key=key)
            except Exception as error:  # noqa: BLE001
                failures.append(f"{name}/{logical}: s3://{bucket}/{key} missing from the bucket: {error}")
                continue
            function = physical.get(logical)
            if function is None:
                failures.append(f"{name}/{logical}: no function was created")
                continue
            sha = clients.lambda_.get_function(FunctionName=function)["Configuration"]["CodeSha256"]
            if sha != uploaded[(bucket, key)]:
                failures.append(f"{name}/{logical}: created with code {sha}, the asset is {uploaded[(bucket, key)]}")
    if checked == 0:
        failures.append("no Lambda function in the templates: nothing to check")
    print(f"  {checked} functions, each created from its code asset in the bucket")
    return failures


def resolve_static(value: Json) -> str | None:
    """An S3Bucket/S3Key as CDK writes it: a string, or Fn::Sub over the pseudo parameters."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return placeholders(value["Fn::Sub"])
    return None


def timed(label: str, step: Callable[[], Any]) -> Any:
    started = time.monotonic()
    result = step()
    print(f"{label}: {time.monotonic() - started:.1f} s")
    return result


def load_json(assembly: str, file: str) -> Json:
    with open(os.path.join(assembly, file), encoding="utf-8") as f:
        return json.load(f)


if __name__ == "__main__":
    logging.getLogger("moto").setLevel(logging.ERROR)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1]))
