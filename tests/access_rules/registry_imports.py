"""Access rules for the registry imports: administrators and program officers only
(policies.can_import). A pending upload belongs to the officer who made it; administrators
may continue anyone's."""

from tests.access_rules import post_redirects, staff_only

IMPORTERS = staff_only("officer", "admin")
# A POST that starts a job answers with a redirect (to the job, or back with a message).
IMPORTERS_POST = post_redirects("officer", "admin")

RULES = {
    "registry:imports": ("get", "/staff/businesses/imports/", IMPORTERS),
    "registry:import_nta": ("get", "/staff/businesses/imports/nta/", IMPORTERS),
    "registry:import_generic": ("get", "/staff/businesses/imports/generic/", IMPORTERS),
    "registry:import_generic_map": (
        "get",
        lambda o: f"/staff/businesses/imports/generic/{o['pending_upload'].token}/map/",
        IMPORTERS,
    ),
    "registry:import_detail": (
        "get",
        lambda o: f"/staff/businesses/imports/{o['import_run'].pk}/",
        IMPORTERS,
    ),
    "registry:import_apply": (
        "post",
        lambda o: f"/staff/businesses/imports/{o['import_run'].pk}/apply/",
        IMPORTERS_POST,
    ),
}


def objects(users, tsukuba):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from sangyo.core.models import Job
    from sangyo.registry import imports

    officer = users["officer"]
    data = "商号,所在地\r\n合成データ株式会社,茨城県つくば市研究学園一丁目1番地\r\n".encode("cp932")
    job = Job.objects.create(
        kind=imports.GENERIC_JOB,
        created_by=officer,
        params={"dry_run": True, "mapping": {"name": "商号"}},
        input_file=default_storage.save("jobs/access-rules", ContentFile(data)),
        input_name="access.csv",
    )
    run = imports.generic_import(
        data=data,
        filename="access.csv",
        mapping={"name": "商号"},
        actor=officer,
        dry_run=True,
        job=job,
    )
    pending = imports.pending_upload_save(data=data, filename="access.csv", actor=officer)
    return {"import_run": run, "pending_upload": pending}
