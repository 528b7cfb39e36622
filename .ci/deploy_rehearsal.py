"""Deploy rehearsal: create the stacks of a synthesized CDK cloud assembly in moto's CloudFormation.

Usage: python3 .ci/deploy_rehearsal.py <cloud assembly dir>      (run by .ci/deploy-rehearsal)

All on loopback, no AWS account:
1. starts moto's server on a free 127.0.0.1 port, in this process (nothing outlives the run);
2. plays `cdk bootstrap`'s part: the SSM bootstrap version parameter and the assets bucket; uploads
   every file asset of the assembly (a directory zipped, as the CDK CLI publishes it);
3. creates the stacks through CloudFormation's API in dependency order (manifest.json), with the
   resource types moto's CloudFormation does not implement left out. That list is computed from
   moto's own type map, never written down here, and printed. A reference (Ref, GetAtt, ${...} in
   Sub, DependsOn) to a left-out resource becomes a marked placeholder, so what stays keeps its shape.
   Where moto reads a valid template wrongly, `adapt_to_moto` says the same thing in a way it reads;
4. checks:
   - every stack reaches CREATE_COMPLETE, with every resource kept for it;
   - every Fn::ImportValue names an export of a stack created before it, and resolves in moto to
     that export's value (read back through an output added to the importing stack for the purpose);
     every export is imported by some stack (CDK exports only what another stack uses);
   - every Lambda function's code is an asset of the assembly, that object is in the bucket, and the
     created function's CodeSha256 is the SHA-256 of the uploaded zip;
5. then proves that the checks bite: each probe breaks one thing (an export removed, an export no
   one imports, a code asset missing from the manifests or not uploaded, the stacks out of order)
   and must make the rehearsal fail.

Prints the time of each step. Exit status 0 when every check holds and every probe is caught.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import logging
import os
import sys
import time
import urllib.request
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import moto
from moto.cloudformation.parsing import get_model_map
from moto.core import DEFAULT_ACCOUNT_ID
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
ACCOUNT = DEFAULT_ACCOUNT_ID
# The value a reference to a left-out resource becomes starts with this, so it can be told apart.
OMITTED = "omitted-by-rehearsal"
BOOTSTRAP_VERSION_PARAMETER = "/cdk-bootstrap/hnb659fds/version"
STACK_TIMEOUT_SECONDS = 120
TERMINAL = ("CREATE_COMPLETE", "CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED")

Json = Any


@dataclass
class Asset:
    bucket: str
    key: str
    body: bytes
    published: bool = True  # False only in a probe: the object never reaches the bucket

    @property
    def code_sha256(self) -> str:
        return base64.b64encode(hashlib.sha256(self.body).digest()).decode()


@dataclass
class Assembly:
    """What a deploy reads from cdk.out: the stacks in dependency order, their templates, the assets."""

    order: list[str]
    templates: dict[str, Json]
    bootstrap_version: int
    assets: list[Asset] = field(default_factory=list)


def main(assembly_dir: str) -> int:
    started = time.monotonic()
    print(f"moto {moto.__version__}")
    assembly = timed("read the assembly and zip its assets", lambda: read_assembly(assembly_dir))
    supported = set(get_model_map())
    left_out = sorted({r["Type"] for t in assembly.templates.values() for r in t["Resources"].values()} - supported)
    print(f"stacks, in dependency order: {', '.join(assembly.order)}")
    print(f"resource types left out (moto's CloudFormation lacks them): {', '.join(left_out) or 'none'}")

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        failures = timed("rehearsal", lambda: rehearse(Clients(endpoint), assembly, supported, report=True))
        for failure in failures:
            print(f"FAILED: {failure}", file=sys.stderr)
        uncaught = timed("probes", lambda: run_probes(endpoint, assembly, supported))
        for probe in uncaught:
            print(f"FAILED: the rehearsal did not notice {probe}", file=sys.stderr)
    finally:
        server.stop()

    print(f"deploy rehearsal: {time.monotonic() - started:.1f} s in all")
    if failures or uncaught:
        return 1
    print("deploy rehearsal: every stack created, every import resolved, every code asset in place; every probe caught")
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


# --- reading cdk.out ---------------------------------------------------------------------------


def read_assembly(assembly_dir: str) -> Assembly:
    artifacts: dict[str, Any] = load_json(assembly_dir, "manifest.json")["artifacts"]
    stacks = {k: a for k, a in artifacts.items() if a["type"] == "aws:cloudformation:stack"}
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in path:
            raise SystemExit(f"stack dependency cycle: {' -> '.join((*path, name))}")
        for dependency in stacks[name].get("dependencies", []):
            if dependency in stacks:
                visit(dependency, (*path, name))
        order.append(name)

    for name in stacks:
        visit(name, ())

    assets: dict[tuple[str, str], Asset] = {}
    for name in order:
        for dependency in stacks[name].get("dependencies", []):
            if artifacts.get(dependency, {}).get("type") != "cdk:asset-manifest":
                continue
            manifest = load_json(assembly_dir, artifacts[dependency]["properties"]["file"])
            if manifest.get("dockerImages"):
                raise SystemExit(f"{dependency}: docker image assets are not rehearsed")
            for asset in manifest.get("files", {}).values():
                source = asset["source"]
                if source["path"].endswith(".template.json"):
                    continue  # the template itself: here it goes through the CloudFormation API
                body = asset_bytes(os.path.join(assembly_dir, source["path"]), source.get("packaging", "file"))
                for destination in asset["destinations"].values():
                    bucket, key = pseudo(destination["bucketName"]), pseudo(destination["objectKey"])
                    assets[(bucket, key)] = Asset(bucket, key, body)
    return Assembly(
        order=order,
        templates={name: load_json(assembly_dir, stacks[name]["properties"]["templateFile"]) for name in order},
        bootstrap_version=max(int(stacks[n]["properties"].get("requiresBootstrapStackVersion", 6)) for n in order),
        assets=list(assets.values()),
    )


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


def pseudo(text: str) -> str:
    """An asset destination with CloudFormation's pseudo parameters filled in, as the CLI does."""
    return text.replace("${AWS::AccountId}", ACCOUNT).replace("${AWS::Region}", REGION).replace("${AWS::Partition}", "aws")


def load_json(assembly_dir: str, file: str) -> Json:
    with open(os.path.join(assembly_dir, file), encoding="utf-8") as f:
        return json.load(f)


# --- the rehearsal -------------------------------------------------------------------------------


def rehearse(clients: Clients, assembly: Assembly, supported: set[str], report: bool) -> list[str]:
    """Bootstrap, upload, create every stack, check. The failures found, empty when all holds."""
    say = print if report else (lambda *_: None)
    clients.ssm.put_parameter(Name=BOOTSTRAP_VERSION_PARAMETER, Value=str(assembly.bootstrap_version), Type="String")
    for bucket in sorted({a.bucket for a in assembly.assets}):
        clients.s3.create_bucket(Bucket=bucket)
    for asset in [a for a in assembly.assets if a.published]:
        clients.s3.put_object(Bucket=asset.bucket, Key=asset.key, Body=asset.body)
    say(f"  {len(assembly.assets)} assets uploaded to {', '.join(sorted({a.bucket for a in assembly.assets}))}")

    failures: list[str] = []
    import_outputs: dict[str, dict[str, str]] = {}
    for name in assembly.order:
        prepared, outputs = prepare(assembly.templates[name], supported)
        import_outputs[name] = outputs
        stack_failures = create_stack(clients, name, prepared, say)
        failures += stack_failures
        if stack_failures:
            return failures  # what depends on this stack cannot be created; its failure is the finding
    failures += check_exports_and_imports(clients, assembly, import_outputs, say)
    failures += check_code_assets(clients, assembly, say)
    return failures


def prepare(template: Json, supported: set[str]) -> tuple[Json, dict[str, str]]:
    """The template without the left-out resources, and with one output per import to read it back."""
    omitted = {logical: r["Type"] for logical, r in template["Resources"].items() if r["Type"] not in supported}
    kept = {logical: r for logical, r in template["Resources"].items() if logical not in omitted}
    prepared = adapt_to_moto(replace_references({**template, "Resources": kept}, omitted))
    for resource in prepared["Resources"].values():
        if "DependsOn" in resource:
            depends = resource["DependsOn"] if isinstance(resource["DependsOn"], list) else [resource["DependsOn"]]
            resource["DependsOn"] = [d for d in depends if d not in omitted]
            if not resource["DependsOn"]:
                del resource["DependsOn"]
    outputs = {f"RehearsalImport{i}": name for i, name in enumerate(sorted(set(import_names(template))))}
    prepared["Outputs"] = {
        **prepared.get("Outputs", {}),
        **{key: {"Value": {"Fn::ImportValue": name}} for key, name in outputs.items()},
    }
    return prepared, outputs


def replace_references(node: Json, omitted: dict[str, str]) -> Json:
    """Every Ref, Fn::GetAtt and ${...} of Fn::Sub naming a left-out resource, as a placeholder."""

    def replacement(ref: dict[str, Json]) -> Json | None:
        if len(ref) != 1:
            return None
        (function, argument), = ref.items()
        if function == "Ref" and argument in omitted:
            return placeholder(argument, None)
        if function == "Fn::GetAtt":
            logical, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
            return placeholder(logical, attribute) if logical in omitted else None
        if function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            for logical in omitted:
                text = substitute_sub_variable(text, logical)
            variables = replace_references(variables, omitted)
            return {"Fn::Sub": [text, variables] if variables else text}
        return None

    return substitute(node, replacement)


def substitute_sub_variable(text: str, logical: str) -> str:
    """`${Logical}` and `${Logical.Attribute}` in an Fn::Sub string, as placeholders."""
    text = text.replace("${" + logical + "}", placeholder(logical, None))
    marker = "${" + logical + "."
    while marker in text:
        start = text.index(marker)
        end = text.index("}", start)
        text = text[:start] + placeholder(logical, text[start + len(marker) : end]) + text[end + 1 :]
    return text


def placeholder(logical: str, attribute: str | None) -> str:
    if attribute and attribute.endswith("Arn"):
        return f"arn:aws:{OMITTED}:{REGION}:{ACCOUNT}:{logical}"  # ARN-shaped: IAM policies naming it still validate
    return f"{OMITTED}-{logical}" + (f"-{attribute}" if attribute else "")


def adapt_to_moto(template: Json) -> Json:
    """Where moto 5.2 reads a valid template wrongly, say the same thing in a way it reads right.

    Each adaptation keeps what AWS would do; none hides a fault of the template:
    - `Ref` to an AWS::Events::EventBus is, in AWS, the bus's name. moto's bus model has no physical
      id, so its Ref is the model object, and a rule or export of it breaks: write the name itself.
    - AWS::Events::Archive `EventPattern` is a JSON object in CloudFormation (a string is accepted
      too); moto's archive only parses a string: give it the string.
    - AWS::KMS::Key `Tags` are {Key, Value} in CloudFormation; moto's key reads the KMS API's
      {TagKey, TagValue} and fails: the key is created without its tags (no check here reads tags).
    """
    bus_names = {
        logical: r["Properties"]["Name"]
        for logical, r in template["Resources"].items()
        if r["Type"] == "AWS::Events::EventBus" and isinstance(r.get("Properties", {}).get("Name"), str)
    }
    template = substitute(template, lambda node: bus_names.get(node["Ref"]) if set(node) == {"Ref"} else None)
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::Events::Archive" and isinstance(properties.get("EventPattern"), dict):
            properties["EventPattern"] = json.dumps(properties["EventPattern"])
        if resource["Type"] == "AWS::KMS::Key":
            properties.pop("Tags", None)
    return template


def substitute(node: Json, replacement: Callable[[dict[str, Json]], Json | None]) -> Json:
    """A copy of the node, with every object for which `replacement` gives a value replaced by it."""
    if isinstance(node, list):
        return [substitute(n, replacement) for n in node]
    if not isinstance(node, dict):
        return node
    value = replacement(node)
    if value is not None:
        return value
    return {k: substitute(v, replacement) for k, v in node.items()}


def import_names(node: Json) -> list[str]:
    if isinstance(node, list):
        return [n for item in node for n in import_names(item)]
    if not isinstance(node, dict):
        return []
    if "Fn::ImportValue" in node:
        name = node["Fn::ImportValue"]
        if not isinstance(name, str):
            raise SystemExit(f"an Fn::ImportValue with a computed name is not rehearsed: {json.dumps(name)}")
        return [name]
    return [n for value in node.values() for n in import_names(value)]


def create_stack(clients: Clients, name: str, template: Json, say: Callable[..., None]) -> list[str]:
    cfn = clients.cloudformation
    started = time.monotonic()
    try:
        cfn.create_stack(
            StackName=name,
            TemplateBody=json.dumps(template),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
    except Exception as error:  # noqa: BLE001 - any refusal is the finding, reported with its text
        return [f"{name}: create_stack refused: {error}"]
    while True:
        status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
        if status in TERMINAL or time.monotonic() - started > STACK_TIMEOUT_SECONDS:
            break
        time.sleep(0.2)
    created = len(stack_resources(clients, name))
    say(f"  {name}: {status} in {time.monotonic() - started:.1f} s, {created} of {len(template['Resources'])} kept resources")
    if status != "CREATE_COMPLETE":
        reasons = [
            f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}"
            for e in cfn.describe_stack_events(StackName=name)["StackEvents"]
            if e["ResourceStatus"].endswith("FAILED")
        ]
        return [f"{name}: {status} ({'; '.join(reasons) or 'no reason given'})"]
    if created != len(template["Resources"]):
        return [f"{name}: {created} resources created of the {len(template['Resources'])} kept"]
    return []


def stack_resources(clients: Clients, name: str) -> dict[str, str]:
    """Logical id -> physical id of a stack's resources."""
    return {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for page in clients.cloudformation.get_paginator("list_stack_resources").paginate(StackName=name)
        for r in page["StackResourceSummaries"]
    }


def check_exports_and_imports(clients: Clients, assembly: Assembly, import_outputs: dict[str, dict[str, str]], say: Callable[..., None]) -> list[str]:
    cfn = clients.cloudformation
    exports = {e["Name"]: e for page in cfn.get_paginator("list_exports").paginate() for e in page["Exports"]}
    stack_ids = {cfn.describe_stacks(StackName=name)["Stacks"][0]["StackId"]: name for name in assembly.order}
    failures: list[str] = []
    imported: set[str] = set()
    for name, outputs in import_outputs.items():
        resolved = {o["OutputKey"]: o.get("OutputValue") for o in cfn.describe_stacks(StackName=name)["Stacks"][0].get("Outputs", [])}
        for key, export_name in outputs.items():
            imported.add(export_name)
            export = exports.get(export_name)
            if export is None:
                failures.append(f"{name} imports {export_name}, which no stack exports")
                continue
            exporter = stack_ids.get(export["ExportingStackId"], export["ExportingStackId"])
            if assembly.order.index(exporter) >= assembly.order.index(name):
                failures.append(f"{name} imports {export_name} from {exporter}, which is not created before it")
            if resolved.get(key) != export["Value"]:
                failures.append(f"{name} imports {export_name}: resolved to {resolved.get(key)!r}, exported as {export['Value']!r}")
    for export_name in sorted(set(exports) - imported):
        failures.append(f"{export_name}, exported by {stack_ids.get(exports[export_name]['ExportingStackId'])}, is imported by no stack")
    placeholders = sorted(n for n in imported if n in exports and OMITTED in exports[n]["Value"])
    say(f"  {len(exports)} exports, {sum(len(o) for o in import_outputs.values())} imports, each resolved to its export")
    if placeholders:
        say(f"  exports of left-out resources (resolved to their placeholder): {', '.join(placeholders)}")
    return failures


def check_code_assets(clients: Clients, assembly: Assembly, say: Callable[..., None]) -> list[str]:
    by_location = {(a.bucket, a.key): a for a in assembly.assets}
    failures: list[str] = []
    checked = 0
    for name, template in assembly.templates.items():
        physical = stack_resources(clients, name)
        for logical, resource in template["Resources"].items():
            if resource["Type"] != "AWS::Lambda::Function":
                continue
            checked += 1
            code = resource["Properties"].get("Code", {})
            location = (as_static(code.get("S3Bucket")), as_static(code.get("S3Key")))
            asset = by_location.get(location)  # type: ignore[arg-type]
            if asset is None:
                failures.append(f"{name}/{logical}: its code {json.dumps(code)[:160]} is not an asset of the assembly")
                continue
            try:
                clients.s3.head_object(Bucket=asset.bucket, Key=asset.key)
            except Exception as error:  # noqa: BLE001 - a missing object is the finding
                failures.append(f"{name}/{logical}: s3://{asset.bucket}/{asset.key} is not in the bucket ({error})")
                continue
            sha = clients.lambda_.get_function(FunctionName=physical[logical])["Configuration"]["CodeSha256"]
            if sha != asset.code_sha256:
                failures.append(f"{name}/{logical}: created with code {sha}, its asset is {asset.code_sha256}")
    if checked == 0:
        failures.append("no Lambda function in the templates: nothing was checked")
    say(f"  {checked} functions, each created from its code asset in the bucket")
    return failures


def as_static(value: Json) -> str | None:
    """An S3Bucket/S3Key as CDK writes it: a string, or Fn::Sub over the pseudo parameters."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return pseudo(value["Fn::Sub"])
    return None


# --- probes: the checks bite ----------------------------------------------------------------------


def run_probes(endpoint: str, assembly: Assembly, supported: set[str]) -> list[str]:
    """Each probe breaks one thing; the rehearsal must fail on it. Returns the probes it missed."""
    uncaught = []
    for description, breaks in PROBES:
        broken = breaks(copy.deepcopy(assembly))
        reset_moto(endpoint)
        failures = rehearse(Clients(endpoint), broken, supported, report=False)
        print(f"  probe, {description}: {'caught: ' + failures[0][:160] if failures else 'NOT CAUGHT'}")
        if not failures:
            uncaught.append(description)
    return uncaught


def reset_moto(endpoint: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).read()


def first_import(assembly: Assembly) -> str:
    return next(n for name in assembly.order for n in import_names(assembly.templates[name]))


def without_export(assembly: Assembly) -> Assembly:
    name = first_import(assembly)
    for template in assembly.templates.values():
        outputs = template.get("Outputs", {})
        for key in [k for k, o in outputs.items() if o.get("Export", {}).get("Name") == name]:
            del outputs[key]
    return assembly


def with_unused_export(assembly: Assembly) -> Assembly:
    first = assembly.templates[assembly.order[0]]
    first.setdefault("Outputs", {})["RehearsalProbeUnused"] = {"Value": "unused", "Export": {"Name": "rehearsal-probe-unused"}}
    return assembly


def last_code_asset(assembly: Assembly) -> Asset:
    return [a for a in assembly.assets if a.key.endswith(".zip")][-1]


def code_asset_not_in_manifests(assembly: Assembly) -> Assembly:
    assembly.assets.remove(last_code_asset(assembly))
    return assembly


def code_asset_not_uploaded(assembly: Assembly) -> Assembly:
    last_code_asset(assembly).published = False
    return assembly


def in_reverse_order(assembly: Assembly) -> Assembly:
    assembly.order.reverse()
    return assembly


PROBES: list[tuple[str, Callable[[Assembly], Assembly]]] = [
    ("an imported export removed", without_export),
    ("an export no stack imports", with_unused_export),
    ("a function's code missing from the asset manifests", code_asset_not_in_manifests),
    ("a function's code asset not uploaded", code_asset_not_uploaded),
    ("the stacks created in reverse order", in_reverse_order),
]


def timed(label: str, step: Callable[[], Any]) -> Any:
    started = time.monotonic()
    result = step()
    print(f"{label}: {time.monotonic() - started:.1f} s")
    return result


if __name__ == "__main__":
    logging.getLogger("moto").setLevel(logging.CRITICAL)
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    # moto warns about each type it cannot create; those are left out before, and listed once.
    warnings.filterwarnings("ignore", message=".*not supported by moto's CloudFormation implementation")
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    if not os.path.isfile(os.path.join(sys.argv[1], "manifest.json")):
        raise SystemExit(f"{sys.argv[1]} is not a cloud assembly (no manifest.json): synthesize first, or run .ci/deploy-rehearsal")
    sys.exit(main(sys.argv[1]))
