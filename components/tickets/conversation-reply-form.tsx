'use client';

import { useState, type KeyboardEvent } from 'react';
import { useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FormError, inputClass } from '@/components/ui/field';
import { useActionForm, type ServerAction } from '@/components/ui/use-action';
import type { ReplyTemplate } from '@/lib/tickets/messages';
import { MESSAGE_MAX_LENGTH, messageFormSchema, REPLY_STATUSES, type AddTicketMessageInput } from '@/lib/validation/tickets';

export type AddMessageAction = ServerAction<AddTicketMessageInput, { id: number }>;

const KIND_OPTIONS = [
  { value: 'reply', label: 'Reply to customer', hint: 'The customer reads this.' },
  { value: 'note', label: 'Internal note', hint: 'Only staff see this.' },
] as const;

/**
 * The reply box: a reply to the customer or an internal note, with templates filled from the
 * ticket's suggestion. Ctrl+Enter (⌘+Enter) sends.
 */
export function ConversationReplyForm({
  ticketId,
  templates,
  action,
  canSetStatus = true,
}: {
  ticketId: number;
  templates: ReplyTemplate[];
  action: AddMessageAction;
  /** False when the status follows something else (a decision waiting for approval, a resolved ticket). */
  canSetStatus?: boolean;
}) {
  const [template, setTemplate] = useState('');
  /** What the reply does to the ticket's status: nothing, wait for the customer, or resolve it. */
  const [statusAfter, setStatusAfter] = useState<'' | (typeof REPLY_STATUSES)[number]>('');
  const { form, onSubmit, formError, isPending } = useActionForm({
    schema: messageFormSchema,
    defaultValues: { kind: 'reply', body: '' },
    submit: (values) =>
      action({
        ticketId,
        body: values.body,
        isInternal: values.kind === 'note',
        ...(values.kind === 'reply' && statusAfter ? { setStatus: statusAfter } : {}),
      }),
    onSuccess: (_message, values, form) => {
      form.reset({ kind: values.kind, body: '' });
      setTemplate('');
      const then = statusAfter === 'resolved' ? ' The ticket is resolved.' : statusAfter ? ' The ticket now waits for the customer.' : '';
      setStatusAfter('');
      return values.kind === 'note'
        ? 'Internal note added.'
        : `Reply queued: it reaches the customer once the panel takes it (see Delivery to the panel).${then}`;
    },
  });
  const { register, setValue, getValues, control } = form;
  const { errors } = form.formState;
  const kind = useWatch({ control, name: 'kind' });
  const length = useWatch({ control, name: 'body' }).length;

  const applyTemplate = (id: string) => {
    setTemplate(id);
    const chosen = templates.find((t) => t.id === id);
    if (!chosen) return;
    const current = getValues('body').trim();
    if (current && current !== chosen.body && !window.confirm('Replace the text you have written with this template?')) {
      setTemplate('');
      return;
    }
    setValue('body', chosen.body, { shouldDirty: true, shouldValidate: true });
    setValue('kind', chosen.kind, { shouldDirty: true });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSubmit();
    }
  };

  const isNote = kind === 'note';
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className={`space-y-2 rounded-md border p-3 ${isNote ? 'border-amber-300 bg-amber-50/60' : 'border-slate-200 bg-slate-50'}`}
      data-testid="reply-form"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <fieldset className="inline-flex overflow-hidden rounded-md ring-1 ring-slate-300">
          <legend className="sr-only">Kind of message</legend>
          {KIND_OPTIONS.map((option) => (
            <span key={option.value} className="relative border-l border-slate-300 first:border-l-0">
              <input
                id={`message-kind-${option.value}`}
                type="radio"
                value={option.value}
                className="peer absolute inset-0 opacity-0"
                {...register('kind')}
              />
              <label
                htmlFor={`message-kind-${option.value}`}
                title={option.hint}
                className={`block cursor-pointer bg-white px-3 py-1 text-xs font-medium text-slate-700 select-none peer-focus-visible:relative peer-focus-visible:z-10 peer-focus-visible:outline-2 peer-focus-visible:-outline-offset-2 peer-focus-visible:outline-indigo-600 ${
                  option.value === 'note'
                    ? 'peer-checked:bg-amber-200 peer-checked:text-amber-950'
                    : 'peer-checked:bg-indigo-600 peer-checked:text-white'
                }`}
              >
                {option.label}
              </label>
            </span>
          ))}
        </fieldset>
        {templates.length ? (
          <div className="flex items-center gap-1.5">
            <label htmlFor="reply-template" className="text-xs font-medium text-slate-700">
              Template
            </label>
            <select
              id="reply-template"
              value={template}
              onChange={(e) => applyTemplate(e.target.value)}
              className="h-7 max-w-72 rounded-md border border-slate-300 bg-white px-1.5 text-xs"
            >
              <option value="">Insert a template…</option>
              {templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <FormError message={formError} variant="box" />
      <Field
        id="message-body"
        label={isNote ? 'Note text' : 'Reply text'}
        isLabelHidden
        error={errors.body?.message}
        hint={`${length.toLocaleString('en')} / ${MESSAGE_MAX_LENGTH.toLocaleString('en')} characters · Ctrl+Enter sends`}
        hintClassName={`text-right tabular-nums ${length > MESSAGE_MAX_LENGTH ? 'font-medium text-red-700' : 'text-slate-600'}`}
      >
        {(control) => (
          <textarea
            rows={6}
            onKeyDown={onKeyDown}
            placeholder={isNote ? 'A note for colleagues; the customer never sees it.' : 'Write to the customer…'}
            className={`${inputClass} resize-y py-2 leading-5`}
            {...control}
            {...register('body')}
          />
        )}
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant={isNote ? 'secondary' : 'primary'} disabled={isPending}>
          {isPending ? 'Saving…' : isNote ? 'Add internal note' : 'Send reply'}
        </Button>
        {isNote || !canSetStatus ? null : (
          <span className="flex items-center gap-1.5">
            <label htmlFor="reply-status" className="text-xs font-medium text-slate-700">
              and then
            </label>
            <select
              id="reply-status"
              value={statusAfter}
              onChange={(e) => setStatusAfter(e.target.value as typeof statusAfter)}
              className="h-8 rounded-md border border-slate-300 bg-white px-1.5 text-xs"
            >
              <option value="">keep the status</option>
              <option value="waiting_customer">wait for the customer</option>
              <option value="resolved">resolve the ticket</option>
            </select>
          </span>
        )}
      </div>
    </form>
  );
}
